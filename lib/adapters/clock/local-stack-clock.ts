import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { Clock } from '../../application/ports/clock.ts';
import { AtendeError } from '../../domain/atende-error.ts';

/** Where the local stack keeps how far its clock runs ahead of the machine's. */
export const CLOCK_FILE = 'clock.json';

const ClockFileSchema = z.strictObject({ aheadMs: z.number().int().min(0) });

/** The last instant a JavaScript date holds (+275760-09-13): every time the stack prints must be one. */
const LAST_INSTANT = 8_640_000_000_000_000;

/** Whether the stack's clock can stand at `instant`. */
export const isClockInstant = (instant: number): boolean =>
  Number.isSafeInteger(Math.ceil(instant)) && instant <= LAST_INSTANT;

/**
 * The local stack's clock: the machine's time plus how far `atende clock advance` has moved it,
 * kept in the data directory so the stack, every CLI command and a restart read the same time.
 * It only moves forward; time keeps running between advances.
 */
export class LocalStackClock implements Clock {
  private cached: { mtimeMs: number; aheadMs: number } | null = null;

  constructor(
    private readonly dataDirectory: string,
    private readonly machineNow: () => number = Date.now,
  ) {}

  now(): number {
    return this.machineNow() + this.aheadMs();
  }

  /** How far ahead of the machine's clock the stack's runs. */
  aheadMs(): number {
    const path = join(this.dataDirectory, CLOCK_FILE);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    if (this.cached?.mtimeMs === mtimeMs) return this.cached.aheadMs;
    let json: unknown = null;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      // Read as invalid below.
    }
    const parsed = ClockFileSchema.safeParse(json);
    if (!parsed.success)
      throw new AtendeError('clock.fileInvalid', `${CLOCK_FILE} in ${this.dataDirectory} is not a clock file`, {
        details: { path },
      });
    this.cached = { mtimeMs, aheadMs: parsed.data.aheadMs };
    return parsed.data.aheadMs;
  }

  /**
   * Moves the clock to `instant` (never back: a time already passed stays passed). Fails with
   * `clock.invalidDuration` past the last instant a date can hold: such a file would be written,
   * then refused by every read, and the stack would not start again.
   */
  moveTo(instant: number): void {
    if (!isClockInstant(instant))
      throw new AtendeError(
        'clock.invalidDuration',
        `the clock cannot be moved past ${new Date(LAST_INSTANT).toISOString()}`,
        {
          details: { instant },
        },
      );
    const aheadMs = Math.max(this.aheadMs(), Math.ceil(instant - this.machineNow()));
    mkdirSync(this.dataDirectory, { recursive: true });
    const path = join(this.dataDirectory, CLOCK_FILE);
    // A draft of its own: two advances at once never interleave their bytes (the later rename wins).
    const draft = `${path}.${randomUUID()}.tmp`;
    writeFileSync(draft, JSON.stringify({ aheadMs }), 'utf8');
    renameSync(draft, path);
    this.cached = null;
  }
}
