import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of this Node process and of another process (DynamoDB Local's JVM), or of several
 * named processes, to tell which side a benchmark is waiting for when they share the machine's
 * cores, and what each process is and how much memory it took at most. Other processes are
 * read from /proc (Linux); elsewhere their figures are null.
 */
export interface CpuSnapshot {
  readonly wallMs: number;
  readonly nodeMs: number;
  readonly otherMs: number | null;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux unless built otherwise). */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    // No getconf (not Linux): /proc is then absent too and the ticks are never used.
    return 100;
  }
})();

/** User + system CPU milliseconds a process has used so far, from /proc/<pid>/stat; null when unreadable. */
export const processCpuMs = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may hold spaces): utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
  } catch {
    return null;
  }
};

export const cpuSnapshot = (otherPid: number): CpuSnapshot => {
  const { user, system } = process.cpuUsage();
  return { wallMs: performance.now(), nodeMs: (user + system) / 1000, otherMs: processCpuMs(otherPid) };
};

/** CPU milliseconds per message on each side between two snapshots, and how busy the cores were. */
export const cpuPerMessage = (before: CpuSnapshot, after: CpuSnapshot, messages: number) => {
  const node = after.nodeMs - before.nodeMs;
  const other = before.otherMs === null || after.otherMs === null ? null : after.otherMs - before.otherMs;
  const wall = after.wallMs - before.wallMs;
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    nodeCpuMsPerMessage: round(node / messages),
    dynamodbLocalCpuMsPerMessage: other === null ? null : round(other / messages),
    /** Cores kept busy on average (Node + DynamoDB Local), out of the machine's. */
    coresBusy: round((node + (other ?? 0)) / wall),
  };
};

/**
 * The processes `parent` started (their parent pid is its pid), found by reading every
 * /proc/<pid>/stat: /proc/<pid>/task/<tid>/children is not there on every kernel. Empty off Linux.
 */
export const childProcessIds = (parent: number): number[] => {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The parent pid is the second field after the parenthesised command name.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) children.push(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return children;
};

/** CPU milliseconds of several named processes at one moment (each null where /proc cannot be read). */
export interface ProcessesCpuSnapshot {
  readonly wallMs: number;
  readonly cpuMs: Readonly<Record<string, number | null>>;
}

export const processesCpuSnapshot = (pids: Readonly<Record<string, number>>): ProcessesCpuSnapshot => ({
  wallMs: performance.now(),
  cpuMs: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)])),
});

/** CPU milliseconds per operation of each named process between two snapshots, and how many cores they kept busy together. */
export const cpuPerOperationByProcess = (
  before: ProcessesCpuSnapshot,
  after: ProcessesCpuSnapshot,
  operations: number,
) => {
  const round = (value: number) => Math.round(value * 100) / 100;
  const used = Object.fromEntries(
    Object.keys(after.cpuMs).map((name) => {
      const start = before.cpuMs[name];
      const end = after.cpuMs[name];
      return [name, start === null || start === undefined || end === null || end === undefined ? null : end - start];
    }),
  );
  const total = Object.values(used).reduce<number>((sum, ms) => sum + (ms ?? 0), 0);
  return {
    cpuMsPerOperation: Object.fromEntries(
      Object.entries(used).map(([name, ms]) => [name, ms === null ? null : round(ms / operations)]),
    ),
    /** Cores kept busy on average by these processes together, out of the machine's. */
    coresBusy: round(total / (after.wallMs - before.wallMs)),
  };
};

/** The process name /proc gives (`java`, `node`), or null. */
export const processCommand = (pid: number): string | null => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
};

/** The most resident memory a process has had so far (VmHWM of /proc/<pid>/status), in MB; null when unreadable. */
export const peakResidentMb = (pid: number): number | null => {
  try {
    const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kilobytes === undefined ? null : Math.round(Number(kilobytes) / 102.4) / 10;
  } catch {
    return null;
  }
};
