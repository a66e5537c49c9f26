import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The results of one benchmark over time: `<results>/<name>/<timestamp>.json`, one file per run,
 * never overwritten, so the committed history stays as it was measured.
 */

/** A file name for a run at `measuredAt`: the ISO timestamp with `-` for `:`, which Windows checkouts refuse; it sorts as time does. */
export const resultFileName = (measuredAt: string): string => `${measuredAt.replace(/:/g, '-')}.json`;

/** The newest earlier result of `name` (by file name, i.e. by time), or null when it has none. */
export function newestResult(results: string, name: string): { file: string; report: unknown } | null {
  const folder = join(results, name);
  if (!existsSync(folder)) return null;
  const newest = readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .at(-1);
  if (newest === undefined) return null;
  return { file: join(name, newest), report: JSON.parse(readFileSync(join(folder, newest), 'utf8')) as unknown };
}

/**
 * Writes a new result file and returns its path relative to `results`. Two runs in the same
 * millisecond get `-2`, `-3`…: a file that exists is never written again.
 */
export function writeResult(results: string, name: string, measuredAt: string, report: unknown): string {
  const folder = join(results, name);
  mkdirSync(folder, { recursive: true });
  const base = resultFileName(measuredAt).replace(/\.json$/, '');
  let file = `${base}.json`;
  for (let copy = 2; existsSync(join(folder, file)); copy++) file = `${base}-${copy}.json`;
  writeFileSync(join(folder, file), `${JSON.stringify(report, null, 2)}\n`, { flag: 'wx' });
  return join(name, file);
}

/**
 * How an array item is named in a figure's path: by the text fields that tell it from its
 * siblings (`bundles.inbound-email/bundled.importMs`), so a run that lists the same things in
 * another order is still compared item by item; by its index when no text names it alone.
 */
function itemNames(items: readonly unknown[]): string[] {
  const labels = items.map((item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.values(item)
          .filter((field): field is string => typeof field === 'string')
          .slice(0, 2)
          .join('/')
      : '',
  );
  const unique = labels.every((label) => label !== '') && new Set(labels).size === labels.length;
  return unique ? labels : items.map((_, index) => String(index));
}

/** Every finite number in a report, by its path (`concurrency 8.p99Ms`, `runs.0.seconds`). */
export function numericFigures(value: unknown, path = ''): Map<string, number> {
  const figures = new Map<string, number>();
  const visit = (node: unknown, at: string): void => {
    if (typeof node === 'number') {
      if (Number.isFinite(node)) figures.set(at, node);
    } else if (Array.isArray(node)) {
      const names = itemNames(node);
      for (const [index, item] of node.entries()) visit(item, at === '' ? names[index]! : `${at}.${names[index]}`);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) visit(item, at === '' ? key : `${at}.${key}`);
    }
  };
  visit(value, path);
  return figures;
}

/** One figure then and now; `changePercent` is null when the previous value was 0. */
export interface FigureChange {
  readonly path: string;
  readonly previous: number;
  readonly now: number;
  readonly changePercent: number | null;
}

/** The numeric figures both reports hold, in the order of the new report. */
export function compareFigures(previous: unknown, now: unknown): FigureChange[] {
  const before = numericFigures(previous);
  const changes: FigureChange[] = [];
  for (const [path, value] of numericFigures(now)) {
    const old = before.get(path);
    if (old === undefined) continue;
    changes.push({ path, previous: old, now: value, changePercent: old === 0 ? null : ((value - old) / old) * 100 });
  }
  return changes;
}

/** `path: previous → now (+1.2 %)`, one line per figure. */
export const formatChange = ({ path, previous, now, changePercent }: FigureChange): string => {
  const change =
    changePercent === null
      ? now === previous
        ? '='
        : 'new from 0'
      : `${changePercent >= 0 ? '+' : ''}${changePercent.toFixed(1)} %`;
  return `  ${path}: ${previous} → ${now} (${change})`;
};
