import { loadavg } from 'node:os';

/**
 * How large the reliability suite runs. `npm run test:reliability` sets
 * ATENDE_RELIABILITY_SIZE=full (the figures: 1,000 messages, 10,000 mutations);
 * inside `npm test` the suite runs at a CI size that keeps the whole run well under 20 minutes
 * on a 2-core machine. Each suite scales its own counts from this one switch.
 */
export type ReliabilitySize = 'ci' | 'full';

export const reliabilitySize = (): ReliabilitySize =>
  process.env['ATENDE_RELIABILITY_SIZE'] === 'full' ? 'full' : 'ci';

/** `full` at full size, else `ci`. */
export const sized = <T>(sizes: { readonly ci: T; readonly full: T }): T => sizes[reliabilitySize()];

/**
 * Prints a suite's figures on one labelled line, e.g.
 * `reliability burst: messages=1000 lost=0 duplicated=0 peakRssMiB=212 load=1.20`,
 * with the machine's load beside them (a figure without its load says little).
 */
export const printFigures = (suite: string, figures: Readonly<Record<string, number | string>>): void => {
  const parts = Object.entries({ size: reliabilitySize(), ...figures, load1m: loadavg()[0]?.toFixed(2) ?? '?' }).map(
    ([name, value]) => `${name}=${value}`,
  );
  process.stdout.write(`reliability ${suite}: ${parts.join(' ')}\n`);
};

/**
 * How long one reliability test may run before vitest fails it: a hang must still end, but a
 * loaded 2-core machine is slow, and at full size a suite takes minutes (this is no speed budget).
 */
export const reliabilityTimeout = (): number => sized({ ci: 240_000, full: 1_800_000 });

/**
 * The seed every suite draws its generated mail, mutations and faults from: printed with the
 * figures, and set with ATENDE_RELIABILITY_SEED to replay a run.
 */
export const reliabilitySeed = (): number => {
  const given = process.env['ATENDE_RELIABILITY_SEED'];
  return given === undefined || given === '' ? 20_261_123 : Number(given);
};
