/**
 * The small text grammars a support manager writes in the policy file:
 * opening hours ("09:00-18:00", "24h", "closed"), durations ("1h30m", "2d")
 * and SLA targets ("4h or end of business day", "3 business days").
 * Each parser returns a value or a human-readable reason; zod turns reasons into issues.
 */

export interface MinuteRange {
  /** Minutes after local midnight, inclusive. */
  readonly start: number;
  /** Minutes after local midnight, exclusive; 1440 means the day's end (24:00). */
  readonly end: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const MINUTES_PER_DAY = 24 * 60;
const RANGE = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/;

export const DAY_HOURS_HINT = '"closed", "24h", "HH:MM-HH:MM" or a list of ranges';

/** Parses one day's opening hours: "closed", "24h", "09:00-18:00" or a list of ranges. */
export function parseDayHours(input: string | readonly string[]): Parsed<MinuteRange[]> {
  if (typeof input === 'string') {
    const word = input.trim().toLowerCase();
    if (word === 'closed') return { ok: true, value: [] };
    if (word === '24h' || word === '24 hours' || word === '00:00-24:00')
      return { ok: true, value: [{ start: 0, end: MINUTES_PER_DAY }] };
    return parseRanges([input]);
  }
  return parseRanges(input);
}

function parseRanges(texts: readonly string[]): Parsed<MinuteRange[]> {
  const ranges: MinuteRange[] = [];
  for (const text of texts) {
    const match = RANGE.exec(text);
    if (!match) return { ok: false, reason: `"${text}" is not ${DAY_HOURS_HINT}` };
    const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
    if (h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59 || (h2 === 24 && m2 !== 0)) {
      return { ok: false, reason: `"${text}" is not a valid time range` };
    }
    const range = { start: h1 * 60 + m1, end: h2 * 60 + m2 };
    // Night shifts that cross midnight are written as two ranges on two days.
    if (range.end <= range.start)
      return { ok: false, reason: `"${text}" ends before it starts (write ranges that cross midnight on two days)` };
    ranges.push(range);
  }
  ranges.sort((a, b) => a.start - b.start);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.start < ranges[i - 1]!.end) return { ok: false, reason: `ranges ${texts.join(', ')} overlap` };
  }
  return { ok: true, value: ranges };
}

const DURATION = /^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*$/i;
const LONG_DURATION = /^\s*(\d+)\s*(minutes?|mins?|hours?|hrs?|days?)\s*$/i;

export const DURATION_HINT = 'a duration such as "30m", "4h", "1h30m" or "2d"';

/** Parses a duration into minutes ("30m", "4h", "1h30m", "2d", "48 hours"). */
export function parseDuration(input: string, options: { allowDays: boolean }): Parsed<number> {
  const long = LONG_DURATION.exec(input);
  if (long) {
    const amount = Number(long[1]);
    const unit = long[2]!.toLowerCase();
    if (unit.startsWith('d') && !options.allowDays) return { ok: false, reason: daysNotAllowed(input) };
    const minutes = unit.startsWith('m') ? amount : unit.startsWith('h') ? amount * 60 : amount * MINUTES_PER_DAY;
    return { ok: true, value: minutes };
  }
  const match = DURATION.exec(input);
  if (!match || (match[1] === undefined && match[2] === undefined && match[3] === undefined)) {
    return { ok: false, reason: `"${input}" is not ${DURATION_HINT}` };
  }
  if (match[1] !== undefined && !options.allowDays) return { ok: false, reason: daysNotAllowed(input) };
  const minutes = Number(match[1] ?? 0) * MINUTES_PER_DAY + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
  return { ok: true, value: minutes };
}

function daysNotAllowed(input: string): string {
  // A "day" of business time is ambiguous (24 h? one opening day?), so targets must say which.
  return `"${input}": business time is counted in hours and minutes; write "N business days" or "end of business day" for day-based targets`;
}

/** One way a target can be met; a target is met by the earliest of its parts. */
export type TargetPart =
  | { readonly kind: 'businessTime'; readonly minutes: number }
  /**
   * N ≥ 1: the close of the Nth business day after the day the clock starts ("3 business days").
   * 0: "end of business day", the close of the business day the clock is in, which a calendar
   * open around the clock never reaches (see BusinessCalendar.closeOfBusinessDay).
   */
  | { readonly kind: 'businessDays'; readonly days: number };

export interface SlaTarget {
  /** The target as the policy wrote it, for display. */
  readonly text: string;
  /** The due time is the earliest of the parts ("4h or end of business day, whichever is sooner"). */
  readonly parts: readonly TargetPart[];
}

export const TARGET_HINT =
  'a business-time duration ("4h", "30m"), "end of business day", "N business days", or several joined with "or" (the sooner wins)';

/** Parses an SLA target: "1h", "end of business day", "3 business days", "4h or end of business day". */
export function parseTarget(input: string): Parsed<SlaTarget> {
  const parts: TargetPart[] = [];
  for (const piece of input.split(/\s+or\s+/i)) {
    const text = piece.trim().toLowerCase().replace(/\s+/g, ' ');
    if (text === 'end of business day' || text === 'end of the business day') {
      parts.push({ kind: 'businessDays', days: 0 });
      continue;
    }
    const days = /^(?:within )?(\d+) business days?$/.exec(text);
    if (days) {
      parts.push({ kind: 'businessDays', days: Number(days[1]) });
      continue;
    }
    const duration = parseDuration(text, { allowDays: false });
    if (!duration.ok) {
      return {
        ok: false,
        reason: duration.reason.includes('business days') ? duration.reason : `"${input}" is not ${TARGET_HINT}`,
      };
    }
    if (duration.value <= 0) return { ok: false, reason: `"${input}": a target must be longer than zero` };
    parts.push({ kind: 'businessTime', minutes: duration.value });
  }
  return { ok: true, value: { text: input.trim(), parts } };
}

/** Parses a percentage ("75%" or 75) between 1 and 99. */
export function parsePercent(input: string | number): Parsed<number> {
  const value = typeof input === 'number' ? input : Number(String(input).trim().replace(/%$/, ''));
  if (!Number.isFinite(value) || value <= 0 || value >= 100)
    return { ok: false, reason: `"${input}" is not a percentage between 1 and 99` };
  return { ok: true, value };
}

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(b|bytes?|kb|mb|gb|kib|mib|gib)?\s*$/i;
const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

export const SIZE_HINT = 'a size such as "10MB", "512KB" or "2.5MB" (KB/MB are 1000-based, KiB/MiB 1024-based)';

/** Parses a size into bytes ("10MB", "512 KB", "1.5MiB", "2048"); a number without a unit is bytes. */
export function parseSize(input: string): Parsed<number> {
  const match = SIZE.exec(input);
  if (!match) return { ok: false, reason: `"${input}" is not ${SIZE_HINT}` };
  const unit = (match[2] ?? 'b').toLowerCase();
  return { ok: true, value: Math.floor(Number(match[1]) * (SIZE_UNITS[unit] ?? 1)) };
}
