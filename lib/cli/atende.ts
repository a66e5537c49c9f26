import { Command, CommanderError } from 'commander';
import { packageVersion } from '../adapters/shipped-files.ts';
import { isAtendeError } from '../domain/atende-error.ts';
import {
  type CliContext,
  type CliIO,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  exitCodeFor,
  processIO,
} from './cli-context.ts';
import { registerAttachmentCommands } from './commands/attachment-commands.ts';
import { registerCustomerCommands } from './commands/customer-commands.ts';
import { registerLocalStackCommands } from './commands/local-stack-commands.ts';
import { registerPolicyCommands } from './commands/policy-commands.ts';
import { registerSlaCommand } from './commands/sla-command.ts';
import { registerTimerCommands } from './commands/timer-commands.ts';

/** Runs the atende CLI with `argv` (as process.argv) and returns the exit code: 0 ok, 1 failure, 2 usage error. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const context: CliContext = { io, exitCode: EXIT_OK };
  const program = new Command('atende')
    .description('atende: an e-mail-first support-ticket pipeline (SES, Lambda, DynamoDB, EventBridge Scheduler)')
    .version(packageVersion(), '--version', 'print the version of atende')
    .showHelpAfterError('(run with --help for usage)')
    // A subcommand's options are its own (`sla report --queue Q` is the report's --queue, not sla's).
    .enablePositionalOptions()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  registerPolicyCommands(program, context);
  registerSlaCommand(program, context);
  registerLocalStackCommands(program, context);
  registerCustomerCommands(program, context);
  registerTimerCommands(program, context);
  registerAttachmentCommands(program, context);
  applyExitOverride(program);

  try {
    await program.parseAsync([...argv]);
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (isAtendeError(error)) {
      io.err(`atende: ${error.message}`);
      return exitCodeFor(error);
    }
    io.err(`atende: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT_FAILURE;
  }
}

/** Usage errors anywhere in the command tree become exit code 2 instead of process.exit. */
function applyExitOverride(command: Command): void {
  command.exitOverride();
  command.commands.forEach(applyExitOverride);
}
