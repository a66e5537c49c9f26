/**
 * The Lambda bundles (issue 11): size of each function's index.mjs against the 1 MiB target,
 * what its deployment package unpacks to, and the time a fresh `node` takes to import it
 * (Lambda's cold start before the first event) against the 300 ms target: the median of
 * RUNS processes, on this machine as loaded now. The same bundles taking the AWS SDK from the
 * runtime instead (here the repository's copy) are measured beside them, for the choice
 * function-bundling.ts made.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AwsSdkSource,
  BUNDLE_TARGET_BYTES,
  bundleFunction,
  LAMBDA_FUNCTION_NAMES,
} from '../infra/bundling/function-bundling.ts';
import { provideRuntimeSdk, runBundle } from '../test/support/function-bundle-process.ts';
import { lambdaEnvironment } from '../test/support/lambda-environment.ts';
import { percentile, saveReport } from './bench-report.ts';

const RUNS = 5;
const IMPORT_TARGET_MS = 300;
const SDK_SOURCES: readonly AwsSdkSource[] = ['bundled', 'runtime'];

const environment = {
  ...lambdaEnvironment('atende-bench', 'http://127.0.0.1:9'),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const kib = (bytes: number) => Math.round(bytes / 1024);

const loadBefore = loadavg();
const folder = await mkdtemp(join(tmpdir(), 'atende-bench-bundles-'));
const figures: Record<string, unknown>[] = [];
try {
  await provideRuntimeSdk(folder);
  for (const awsSdk of SDK_SOURCES)
    for (const name of LAMBDA_FUNCTION_NAMES) {
      const bundle = await bundleFunction(name, join(folder, `${name}-sdk-${awsSdk}`), awsSdk);
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) times.push((await runBundle(bundle.file, environment)).importMs);
      times.sort((a, b) => a - b);
      const row = {
        function: name,
        awsSdk,
        bundleKiB: kib(bundle.bytes),
        bundleTargetKiB: kib(BUNDLE_TARGET_BYTES),
        packageKiB: kib(bundle.packageBytes),
        importMedianMs: Math.round(percentile(times, 0.5)),
        importMaxMs: Math.round(times.at(-1) ?? Number.NaN),
        importTargetMs: IMPORT_TARGET_MS,
      };
      figures.push(row);
      console.log(
        `${name.padEnd(14)} SDK ${awsSdk.padEnd(8)} bundle ${String(row.bundleKiB).padStart(5)} KiB (target ≤ ${row.bundleTargetKiB})` +
          `  package ${String(row.packageKiB).padStart(5)} KiB  import median ${row.importMedianMs} ms, max ${row.importMaxMs} ms (target ≤ ${IMPORT_TARGET_MS})`,
      );
    }
} finally {
  await rm(folder, { recursive: true, force: true });
}

saveReport('function-bundles', {
  runsPerBundle: RUNS,
  load: { before: loadBefore, after: loadavg() },
  cores: cpus().length,
  bundles: figures,
});
