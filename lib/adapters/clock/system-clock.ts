import type { Clock } from '../../application/ports/clock.ts';

/** The machine's clock: what runs on AWS. */
export const systemClock: Clock = { now: () => Date.now() };
