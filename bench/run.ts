/** `npm run bench`: runs every benchmark in turn; each prints its figures and saves them under bench/results/. */
const benchmarks = [
  './sla-throughput.ts',
  './timer-planning.ts',
  './timer-calls.ts',
  './agent-replies.ts',
  './ingest-throughput.ts',
  './hostile-sizes.ts',
  './web-form-throughput.ts',
  './function-bundles.ts',
];
for (const benchmark of benchmarks) await import(benchmark);
