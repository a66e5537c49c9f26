import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryPath } from './policy-fixtures.ts';

/** A free TCP port on loopback (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface LocalStackEnvironment {
  readonly ATENDE_HTTP_PORT: string;
  readonly ATENDE_SMTP_PORT: string;
  readonly ATENDE_SES_PORT: string;
  readonly ATENDE_DDB_PORT: string;
  readonly ATENDE_DATA_DIR: string;
  /** SMTP AUTH users (`addr:secret,…`), when the test passes them. */
  readonly ATENDE_SMTP_USERS?: string;
}

export interface LocalStackProcess {
  readonly environment: LocalStackEnvironment;
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Sends SIGTERM and waits for the process to exit; returns its exit code. */
  stop(): Promise<number | null>;
  /**
   * `kill -9` of the stack's whole process group (the stack and the DynamoDB Local it runs), as a
   * crash or a power cut would end them, and waits until every one of them is gone. Only for a
   * stack started with `ownProcessGroup`.
   */
  crash(): Promise<void>;
}

export interface LocalStackProcessOptions {
  /**
   * Start the stack as the leader of a process group of its own, so that `crash()` can kill it
   * with everything it started (the test runner's own group is left alone).
   */
  readonly ownProcessGroup?: boolean;
  /** Options for the stack's `node` itself (`--cpu-prof` …), which NODE_OPTIONS may not carry. */
  readonly nodeArguments?: readonly string[];
}

/** Whether any process of group `group` still exists. */
const groupAlive = (group: number): boolean => {
  try {
    process.kill(-group, 0);
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ESRCH') return false;
    throw error;
  }
};

/**
 * Starts `npm start`'s program (`atende start`) as a child process on free ports with a fresh
 * data directory, and waits until GET /health answers 200. Given the environment of an earlier
 * stack (ports and ATENDE_DATA_DIR), it restarts on the same data.
 */
export async function startLocalStackProcess(
  extra: Partial<Record<keyof LocalStackEnvironment | 'ATENDE_POLICY' | 'ATENDE_WEBFORM_SECRET', string>> = {},
  options: LocalStackProcessOptions = {},
): Promise<LocalStackProcess> {
  const environment: LocalStackEnvironment = {
    ATENDE_HTTP_PORT: String(await freePort()),
    ATENDE_SMTP_PORT: String(await freePort()),
    ATENDE_SES_PORT: String(await freePort()),
    ATENDE_DDB_PORT: String(await freePort()),
    ATENDE_DATA_DIR: mkdtempSync(join(tmpdir(), 'atende-e2e-')),
    ...extra,
  };
  let output = '';
  const child = spawn(
    process.execPath,
    [...(options.nodeArguments ?? []), repositoryPath('lib/cli/atende.mjs'), 'start'],
    {
      env: { ...process.env, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.ownProcessGroup === true,
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the local stack exited during start-up:\n${output}`);
    const healthy = await fetch(`http://127.0.0.1:${environment.ATENDE_HTTP_PORT}/health`).then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the local stack was not healthy within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    environment,
    child,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    crash: async () => {
      const group = child.pid;
      if (options.ownProcessGroup !== true || group === undefined)
        throw new Error('crash() needs a stack started with ownProcessGroup');
      if (groupAlive(group)) process.kill(-group, 'SIGKILL');
      await exited;
      const gone = Date.now() + 10_000;
      while (groupAlive(group)) {
        if (Date.now() > gone) throw new Error(`process group ${group} still alive 10 s after SIGKILL`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
