import type { LocalDependencies } from '../adapters/local/local-dependencies.ts';
import { type LocalStackConfig, localStackConfig } from '../adapters/local/local-stack-config.ts';
import { AtendeError } from '../domain/atende-error.ts';

/**
 * Runs a command against the running local stack (`npm start` with the same environment):
 * the same DynamoDB Local, SES emulator and data directory. A stack that is not running is
 * a clear `local.notRunning`, not a stack trace about sockets.
 */
export async function withLocalStack<T>(
  work: (dependencies: LocalDependencies, config: LocalStackConfig) => Promise<T>,
  build: (config: LocalStackConfig) => Promise<LocalDependencies> = connectLocalDependencies,
): Promise<T> {
  const config = localStackConfig();
  const dependencies = await build(config);
  try {
    return await work(dependencies, config);
  } catch (error) {
    if (isConnectionRefused(error)) {
      throw new AtendeError(
        'local.notRunning',
        `the local stack is not running (nothing answers at ${config.dynamodbEndpoint}); start it with \`npm start\` in this folder, with the same ATENDE_* variables`,
        {
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    dependencies.close();
  }
}

/**
 * The stack's adapters (the AWS SDK clients among them) are loaded only by a command that uses
 * them: loading them costs more than the rest of `atende --help` together.
 */
async function connectLocalDependencies(config: LocalStackConfig): Promise<LocalDependencies> {
  const { localDependencies } = await import('../adapters/local/local-dependencies.ts');
  return localDependencies(config);
}

function isConnectionRefused(error: unknown): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ECONNREFUSED') return true;
    if (cause instanceof AggregateError && cause.errors.some(isConnectionRefused)) return true;
  }
  return false;
}
