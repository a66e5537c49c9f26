import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/**
 * moto_server (moto 5, a Python program the machine image carries) answering the S3 and SES
 * APIs on a local port, so the AWS adapters are tested against the real request and response
 * shapes. One per test file: started in beforeAll on a free port, stopped in afterAll, and
 * killed by a watchdog if the test process dies first.
 *
 * A machine without moto_server fails these tests with MOTO_MISSING, never skips them.
 */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export const MOTO_MISSING =
  'moto_server is not on the PATH. The integration tests of the S3 and SES adapters need it: ' +
  'install moto 5 with its server extra (`pip install "moto[server]>=5,<6"`), or set MOTO_SERVER to its path.';

/** Clients for moto: fake credentials (moto checks a signature is present, not whose), path-style S3 URLs for a bare host:port. */
export const motoClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  forcePathStyle: true,
  maxAttempts: 1,
});

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;

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

/** Kills moto_server if the test process dies without stopping it (a killed worker, a CI timeout); exits once moto is gone. */
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

const startOnce = async (port: number): Promise<MotoServer> => {
  const endpoint = `http://127.0.0.1:${port}`;
  const executable = process.env['MOTO_SERVER'] || 'moto_server';
  const child = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let spawnError: NodeJS.ErrnoException | undefined;
  child.on('error', (error) => {
    spawnError = error;
  });

  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited(child);
    clearTimeout(timer);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (spawnError !== undefined) {
      await stop();
      throw new Error(
        spawnError.code === 'ENOENT' ? MOTO_MISSING : `moto_server could not be started: ${spawnError.message}`,
        { cause: spawnError },
      );
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      throw Object.assign(
        new Error(`moto_server exited while starting (${child.exitCode ?? child.signalCode}):\n${output}`),
        { exitedEarly: true },
      );
    }
    try {
      const answer = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      if (answer.ok) break;
    } catch {
      // Connection refused while Python starts: expected until the deadline.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer at ${endpoint} within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(100);
  }
  if (child.pid === undefined) throw new Error('moto_server has no process id');
  guardAgainstOrphan(child.pid);
  // moto logs every request to stderr; keep reading so a full pipe never blocks it.
  child.stdout.resume();
  child.stderr.resume();
  return { endpoint, pid: child.pid, stop };
};

/** Starts moto_server on a free port and resolves once it answers; fails loudly (MOTO_MISSING) where it is not installed. */
export const startMotoServer = async (): Promise<MotoServer> => {
  // A free port can be taken between probing and binding: try another when moto exits at once.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(await freePort());
    } catch (error) {
      if (attempt >= 3 || !(error instanceof Error && 'exitedEarly' in error)) throw error;
    }
  }
};

/** One moto_server for the calling test file: started before its tests, stopped after them. */
export const useMotoServer = (): (() => MotoServer) => {
  let moto: MotoServer | undefined;
  beforeAll(async () => {
    moto = await startMotoServer();
  });
  afterAll(async () => {
    await moto?.stop();
  });
  return () => {
    if (moto === undefined)
      throw new Error('moto_server is not running: call useMotoServer() at the top of the test file');
    return moto;
  };
};
