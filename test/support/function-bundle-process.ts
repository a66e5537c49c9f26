import { execFile } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as z from 'zod';
import { REPOSITORY_ROOT } from '../../infra/bundling/function-bundling.ts';

const run = promisify(execFile);

/**
 * Gives a folder of bundles what the nodejs22.x runtime gives a function: AWS SDK v3, here the
 * repository's copy through a symlink, for bundles built to take it from the runtime (the
 * bench's comparison; the deployed ones bundle it). Nothing else of node_modules is reachable.
 */
export async function provideRuntimeSdk(folder: string): Promise<void> {
  await mkdir(join(folder, 'node_modules'), { recursive: true });
  await symlink(join(REPOSITORY_ROOT, 'node_modules', '@aws-sdk'), join(folder, 'node_modules', '@aws-sdk'), 'dir');
}

const BundleRun = z.object({
  importMs: z.number(),
  exports: z.array(z.string()),
  handlerType: z.string(),
  result: z.unknown().optional(),
  error: z.object({ name: z.string(), message: z.string(), code: z.string().nullable() }).optional(),
});
export type BundleRun = z.infer<typeof BundleRun>;

/**
 * In a fresh `node` (as Lambda's cold start): imports the bundle, timing the import, and calls
 * its handler with `event` when one is given. Reports what it exports, the handler's answer or
 * the error it threw (a crash on import fails the promise with node's output).
 */
export async function runBundle(
  file: string,
  environment: Record<string, string>,
  event?: unknown,
): Promise<BundleRun> {
  const script = `
    const [file, eventJson] = process.argv.slice(1);
    const started = performance.now();
    const bundle = await import(file);
    const importMs = performance.now() - started;
    const report = { importMs, exports: Object.keys(bundle), handlerType: typeof bundle.handler };
    if (eventJson !== undefined) {
      try { report.result = await bundle.handler(JSON.parse(eventJson)); }
      catch (error) { report.error = { name: error.name, message: error.message, code: error.code ?? null }; }
    }
    process.stdout.write('\\n' + JSON.stringify(report) + '\\n');
  `;
  const args = ['--input-type=module', '-e', script, file, ...(event === undefined ? [] : [JSON.stringify(event)])];
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, args, {
      env: { PATH: process.env['PATH'] ?? '', ...environment },
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (error) {
    // node prints the failing line of the bundle, one minified line of a megabyte: keep the rest.
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    const readable = stderr.split('\n').filter((line) => line.length < 500);
    throw new Error(`${file} failed in a fresh node:\n${readable.join('\n')}`);
  }
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return BundleRun.parse(JSON.parse(last));
}
