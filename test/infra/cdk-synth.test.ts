import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repositoryPath } from '../support/policy-fixtures.ts';

const run = promisify(execFile);

type Template = { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };

/**
 * `npx cdk synth` as a new user runs it on a clean clone: the pinned CDK CLI, no terminal (stdin
 * closed, CI set), no network, esbuild bundling the functions locally; then cfn-lint on the
 * template it wrote.
 */
describe('npx cdk synth', () => {
  const out = mkdtempSync(join(tmpdir(), 'atende-cdk-out-'));
  const synthesized = run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--output', out], {
    cwd: repositoryPath('.'),
    env: { ...process.env, CI: '1', FORCE_COLOR: '0' },
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });

  it('synthesizes offline without a terminal, each function bundled with its policy and templates', async () => {
    await synthesized;
    const template = JSON.parse(readFileSync(join(out, 'Atende.template.json'), 'utf8')) as Template;
    const functions = Object.values(template.Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Metadata?.['aws:asset:path'],
    );
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      const asset = join(out, fn.Metadata!['aws:asset:path']!);
      for (const file of ['index.mjs', 'index.mjs.map', 'policy/default.yaml', 'templates/_pages/page.css'])
        expect(existsSync(join(asset, file)), `${file} in ${asset}`).toBe(true);
    }
  }, 240_000);

  it('writes a template cfn-lint finds no error in', async () => {
    await synthesized;
    // cfn-lint's exit code is a bit field: 2 errors, 4 warnings, 8 informational; only errors fail.
    const linted = await run('cfn-lint', ['--format', 'parseable', join(out, 'Atende.template.json')]).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    const errors = linted.stdout.split('\n').filter((line) => /:E\d+:/.test(line));
    expect({ errors: linted.code & 2, lines: errors }).toEqual({ errors: 0, lines: [] });
  }, 120_000);
});
