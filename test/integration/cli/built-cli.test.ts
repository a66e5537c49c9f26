import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../../../tools/build-dist.ts';
import { repositoryPath } from '../../support/policy-fixtures.ts';

/**
 * The CLI and the functions as `npm run build` makes them, run by plain Node (no tsx): what
 * `atende` runs once built. Built into a folder of its own inside the package (the built code
 * finds policy/ and templates/ from the package root above it), not dist/: other specs run
 * `atende` meanwhile.
 */
const out = repositoryPath(`node_modules/.cache/atende-built-cli-${process.pid}`);
const runner = join(out, 'run.mjs');

interface Run {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const runBuilt = async (...args: string[]): Promise<Run> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [runner, ...args], { cwd: out });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { exitCode: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

beforeAll(async () => {
  mkdirSync(out, { recursive: true });
  const summary = await buildDist(out);
  expect(summary.outputs).toContain('cli/atende.js');
  // What lib/cli/atende.mjs does with a fresh build.
  writeFileSync(
    runner,
    "const { main } = await import('./cli/atende.js');\nprocess.exitCode = await main(process.argv);\n",
  );
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the built atende command', () => {
  it('answers --help with the usage and every command', async () => {
    const run = await runBuilt('--help');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Usage: atende');
    for (const command of ['policy', 'sla', 'start', 'tickets', 'outbox', 'ingest', 'clock', 'timers', 'customers'])
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it("prints package.json's version for --version", async () => {
    const manifest = JSON.parse(readFileSync(repositoryPath('package.json'), 'utf8')) as { version: string };
    const run = await runBuilt('--version');
    expect(run).toMatchObject({ exitCode: 0, stdout: `${manifest.version}\n` });
  });

  it('reports a mistyped flag or command as unknown, with the nearest one, and exits 2', async () => {
    const flag = await runBuilt('tickets', 'list', '--jsn');
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toContain("unknown option '--jsn'");
    expect(flag.stderr).toContain('Did you mean --json?');

    const command = await runBuilt('tikets');
    expect(command.exitCode).toBe(2);
    expect(command.stderr).toContain("unknown command 'tikets'");
    expect(command.stderr).toContain('Did you mean tickets?');
  });

  it('finds the default policy from the built code, wherever it is run from', async () => {
    const check = await runBuilt('policy', 'check', '--json');
    expect(check.exitCode).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ valid: true });

    const sla = await runBuilt(
      'sla',
      '--queue',
      'installteam',
      '--priority',
      'critical',
      '--received',
      '2026-11-22T03:00:00-05:00',
      '--json',
    );
    expect(JSON.parse(sla.stdout).firstResponseDue).toBe('2026-11-22T09:00:00.000Z');
  });
});

describe('the built functions', () => {
  it('load under plain Node and export their handler', async () => {
    const names = ['inbound-email', 'timer', 'web-form'];
    const script = `for (const name of ${JSON.stringify(names)}) {
      const module = await import('./functions/' + name + '/index.mjs');
      console.log(name, typeof module.handler);
    }`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: out,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect(stdout.trim().split('\n')).toEqual(names.map((name) => `${name} function`));
  });
});
