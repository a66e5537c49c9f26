import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

/** Percentile of sorted samples (nearest rank). */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
}

/** Prints a benchmark's figures and saves them as bench/results/<name>.json with the machine they were measured on. */
export function saveReport(name: string, figures: Record<string, unknown>): void {
  const report = {
    benchmark: name,
    measuredAt: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' },
    ...figures,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}${name}.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`${name}: ${JSON.stringify(figures, null, 2)}`);
  console.log(`(saved to bench/results/${name}.json)`);
}
