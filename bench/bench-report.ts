import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { compareFigures, formatChange, newestResult, writeResult } from './result-history.ts';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

/** Percentile of sorted samples (nearest rank). */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
}

/** The machine's load when the benchmark began: run.ts marks each start; a benchmark run alone starts when this loads. */
let loadBefore = loadavg();

/** Marks the start of a benchmark, for the load its result records. */
export function beginBenchmark(): void {
  loadBefore = loadavg();
}

/** What a result records besides its figures: not compared between runs. */
const RUN_FIELDS = new Set(['benchmark', 'measuredAt', 'machine']);
const figuresOf = (report: unknown): unknown =>
  report !== null && typeof report === 'object'
    ? Object.fromEntries(Object.entries(report).filter(([key]) => !RUN_FIELDS.has(key)))
    : report;

/**
 * Prints a benchmark's figures, saves them as a new bench/results/<name>/<timestamp>.json with
 * the machine they were measured on (Node, cores, CPU, load before and after), and prints each
 * numeric figure beside the newest earlier result of the same benchmark.
 */
export function saveReport(name: string, figures: Record<string, unknown>): void {
  const measuredAt = new Date().toISOString();
  const report = {
    benchmark: name,
    measuredAt,
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      loadBefore: loadBefore.map((load) => Math.round(load * 100) / 100),
      loadAfter: loadavg().map((load) => Math.round(load * 100) / 100),
    },
    ...figures,
  };
  const previous = newestResult(RESULTS, name);
  const saved = writeResult(RESULTS, name, measuredAt, report);
  console.log(`${name}: ${JSON.stringify(figures, null, 2)}`);
  console.log(
    `(saved to bench/results/${saved}; load ${report.machine.loadBefore[0]} before, ${report.machine.loadAfter[0]} after)`,
  );
  if (previous === null) {
    console.log('(no earlier result to compare with)');
    return;
  }
  const changes = compareFigures(figuresOf(previous.report), figures);
  console.log(`compared with bench/results/${previous.file} (previous → now):`);
  for (const change of changes) console.log(formatChange(change));
  if (changes.length === 0) console.log('  (no numeric figure in common)');
}
