import { readdirSync, readFileSync } from 'node:fs';

/** pid → parent pid of every process now running, from /proc (Linux). */
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (command) state ppid …": the command may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') parents.set(Number(entry), Number(ppid));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return parents;
}

/** Every live descendant of `pid` (children, their children …), detached ones included. */
export function descendantsOf(pid: number): number[] {
  const parents = parentsByPid();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, of] of parents)
      if (of === parent) {
        found.push(child);
        queue.push(child);
      }
  }
  return found;
}

/** The pids of `pids` still running (a zombie counts as gone: it runs nothing and holds no port). */
export function stillRunning(pids: readonly number[]): number[] {
  const parents = parentsByPid();
  return pids.filter((pid) => parents.has(pid));
}

/** The command line of `pid`, for a failure message. */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim().slice(0, 160);
  } catch {
    return '(gone)';
  }
}
