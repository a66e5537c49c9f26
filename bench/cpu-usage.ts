import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU time of this Node process and of another process (DynamoDB Local's JVM), to tell which
 * side a benchmark is waiting for when both share the machine's cores. The other process is
 * read from /proc (Linux); elsewhere its figure is null.
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

const processCpuMs = (pid: number): number | null => {
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
