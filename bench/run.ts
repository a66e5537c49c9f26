/**
 * `npm run bench [-- <name>…]`: runs every benchmark in turn, or only those named; each prints
 * its figures, saves them as a new file under bench/results/<name>/ and compares them with the
 * previous run. Progress goes to the console so a long run is never silent.
 */
import { performance } from 'node:perf_hooks';
import { beginBenchmark } from './bench-report.ts';

const BENCHMARKS = [
  'sla-throughput',
  'timer-planning',
  'timer-calls',
  'agent-replies',
  'ingest-throughput',
  'hostile-sizes',
  'web-form-throughput',
  'local-stack-ingest',
  'function-bundles',
  // Before aws-cost, which prices Lambda time with its newest result.
  'inbound-function',
  'aws-cost',
] as const;

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')}; known: ${BENCHMARKS.join(', ')}`);
  process.exit(2);
}
const chosen = asked.length === 0 ? BENCHMARKS : BENCHMARKS.filter((name) => asked.includes(name));

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const started = performance.now();
for (const [index, name] of chosen.entries()) {
  console.log(`\n▶ [${index + 1}/${chosen.length}] ${name}`);
  const began = performance.now();
  beginBenchmark();
  await import(`./${name}.ts`);
  console.log(`✔ [${index + 1}/${chosen.length}] ${name} took ${seconds(began)}`);
}
console.log(`\n${chosen.length} benchmark(s) in ${seconds(started)}`);
