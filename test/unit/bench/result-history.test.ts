import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  compareFigures,
  formatChange,
  newestResult,
  numericFigures,
  resultFileName,
  writeResult,
} from '../../../bench/result-history.ts';

describe('bench result history', () => {
  let results: string;
  beforeEach(async () => {
    results = await mkdtemp(join(tmpdir(), 'atende-bench-history-'));
  });
  afterEach(async () => {
    await rm(results, { recursive: true, force: true });
  });

  it('writes each run to a new timestamped file and never overwrites an earlier one', async () => {
    const at = '2026-12-04T02:50:00.000Z';
    const first = writeResult(results, 'timer-calls', at, { total: 5 });
    const second = writeResult(results, 'timer-calls', at, { total: 6 });

    expect(first).toBe(join('timer-calls', '2026-12-04T02-50-00.000Z.json'));
    expect(second).not.toBe(first);
    expect(await readdir(join(results, 'timer-calls'))).toHaveLength(2);
    expect(JSON.parse(await readFile(join(results, first), 'utf8'))).toEqual({ total: 5 });
  });

  it('finds the newest earlier result of the benchmark by its timestamp', async () => {
    writeResult(results, 'ingest', '2026-11-24T01:45:09.877Z', { rate: 90 });
    writeResult(results, 'ingest', '2026-12-04T02:00:00.000Z', { rate: 95 });
    writeResult(results, 'other', '2026-12-05T00:00:00.000Z', { rate: 1 });

    expect(newestResult(results, 'ingest')).toEqual({
      file: join('ingest', resultFileName('2026-12-04T02:00:00.000Z')),
      report: { rate: 95 },
    });
    expect(newestResult(results, 'never-ran')).toBeNull();
  });

  it('ignores files that are not results in the benchmark folder', async () => {
    writeResult(results, 'ingest', '2026-11-24T01:45:09.877Z', { rate: 90 });
    await writeFile(join(results, 'ingest', 'zz-notes.txt'), 'not a result');

    expect(newestResult(results, 'ingest')?.report).toEqual({ rate: 90 });
  });

  it('collects every finite number of a report by its path, arrays included', () => {
    const figures = numericFigures({ a: { p99Ms: 12.5, label: 'x' }, runs: [{ s: 1 }, { s: 2 }], none: Number.NaN });

    expect([...figures]).toEqual([
      ['a.p99Ms', 12.5],
      ['runs.0.s', 1],
      ['runs.1.s', 2],
    ]);
  });

  it('names array items by the text fields that tell them apart, so a reordered list compares item by item', () => {
    const previous = {
      bundles: [
        { function: 'timer', sdk: 'runtime', ms: 300 },
        { function: 'timer', sdk: 'bundled', ms: 250 },
      ],
    };
    const now = {
      bundles: [
        { function: 'timer', sdk: 'bundled', ms: 200 },
        { function: 'timer', sdk: 'runtime', ms: 330 },
      ],
    };

    expect(compareFigures(previous, now).map(({ path, previous: was, now: is }) => [path, was, is])).toEqual([
      ['bundles.timer/bundled.ms', 250, 200],
      ['bundles.timer/runtime.ms', 300, 330],
    ]);
  });

  it('compares the figures both runs hold, with the change in percent', () => {
    const changes = compareFigures(
      { rate: 80, p99Ms: 20, gone: 3, zero: 0 },
      { rate: 100, p99Ms: 15, added: 1, zero: 0 },
    );

    expect(changes).toEqual([
      { path: 'rate', previous: 80, now: 100, changePercent: 25 },
      { path: 'p99Ms', previous: 20, now: 15, changePercent: -25 },
      { path: 'zero', previous: 0, now: 0, changePercent: null },
    ]);
    expect(changes.map(formatChange)).toEqual([
      '  rate: 80 → 100 (+25.0 %)',
      '  p99Ms: 20 → 15 (-25.0 %)',
      '  zero: 0 → 0 (=)',
    ]);
  });
});
