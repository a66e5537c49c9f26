import { Option } from 'commander';
import type { AtendeError, ErrorCode } from '../domain/atende-error.ts';

/** Where a command writes; tests pass their own to run commands in-process. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Errors caused by what the user typed on the command line, rather than by the data or the system. */
const USAGE_ERRORS: readonly ErrorCode[] = [
  'policy.unknownQueue',
  'policy.unknownPriority',
  'policy.unknownPlan',
  'policy.unknownRegion',
  'policy.unknownChannel',
  'sla.invalidTime',
  'cli.invalidArgument',
  'clock.invalidDuration',
];

export const exitCodeFor = (error: AtendeError): number =>
  USAGE_ERRORS.includes(error.code) ? EXIT_USAGE : EXIT_FAILURE;

/** Shared by every command: the output and the exit code it settles on. */
export interface CliContext {
  readonly io: CliIO;
  exitCode: number;
}

export const printJson = (io: CliIO, value: unknown): void => io.out(JSON.stringify(value, null, 2));

/** A `--json` flag, the same on every command that prints data. */
export const jsonOption = (): Option => new Option('--json', 'print machine-readable JSON');
