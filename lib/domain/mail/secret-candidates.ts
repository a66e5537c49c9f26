/**
 * What every secret detector (the modules that `maskSecrets` in secret-redaction.ts reads)
 * yields, and the pieces they share: finding matches with their offsets, spans of text, and
 * what a placeholder looks like. Every detector is linear in the text: a bounded or unambiguous
 * pattern, or a scan that reads each run of characters once.
 */

export type SecretKind = 'api-key' | 'password' | 'token' | 'card-number';

/** A possible secret at [index, index + length) of the text; overlapping ones are settled by priority. */
export interface Candidate {
  readonly kind: SecretKind;
  /** Which detector matched, e.g. `stripe-key`, `password-label`, `luhn`. */
  readonly detector: string;
  readonly index: number;
  readonly length: number;
  /**
   * Higher wins when two candidates overlap: 4 a known format or a syntax that says "secret"
   * (a URL's password), 3 a label, 2 a checksum, 1 the shape of random data.
   */
  readonly priority: number;
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Each match of a global `pattern` (or of its `group`), with where it starts. */
export function* matches(text: string, pattern: RegExp, group = 0): Generator<{ index: number; value: string }> {
  // The "d" flag gives each group's own offsets.
  const withIndices = pattern.hasIndices ? pattern : new RegExp(pattern.source, `${pattern.flags}d`);
  for (const match of text.matchAll(withIndices)) {
    const value = match[group];
    const start = match.indices?.[group]?.[0];
    if (value !== undefined && start !== undefined) yield { index: start, value };
  }
}

/**
 * Spans from a begin marker to the next end marker, found in one pass: a lazy `[\s\S]*?`
 * between them would rescan the rest of the text for every begin marker without an end.
 */
export function blocks(text: string, begin: RegExp, end: RegExp): Span[] {
  const spans: Span[] = [];
  begin.lastIndex = 0;
  for (let start = begin.exec(text); start !== null; start = begin.exec(text)) {
    end.lastIndex = start.index + start[0].length;
    const stop = end.exec(text);
    if (stop === null) break;
    spans.push({ start: start.index, end: stop.index + stop[0].length });
    begin.lastIndex = end.lastIndex;
  }
  return spans;
}

/** Whether [index, index + length) meets one of `spans`, which are sorted and merged (binary search). */
export function inside(spans: readonly Span[], index: number, length: number): boolean {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const span = spans[middle];
    if (span === undefined) return false;
    if (span.end <= index) low = middle + 1;
    else if (span.start >= index + length) high = middle - 1;
    else return true;
  }
  return false;
}

export function sortAndMerge(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, span.end) };
    else merged.push(span);
  }
  return merged;
}

/** Names of what goes in a slot, as documentation and configuration write them. */
const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  /^[*•·x.#_-]+$/i, // already masked or blanked: ****, xxx, ••••, ____
  /^[<[{(].*[>\]})]$/, // <password>, [redacted], {token}, {{ secret }}, (hidden)
  /^\$\{[^}]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$/, // ${PASSWORD}, $PASSWORD (shell, .env, CI)
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %PASSWORD% (Windows)
  /^(?:your|my)[_-][A-Za-z_-]*$/i, // YOUR_API_KEY, your-token
];

/** A value that stands for a secret without being one: `${PASSWORD}`, `<password>`, `****`, `xxx`, `[redacted]`. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_PATTERNS.some((pattern) => pattern.test(value));
}

/**
 * Random base64 mixes upper case, lower case and digits, and is not hex alone (hashes, UUIDs and
 * commit ids identify things rather than unlock them).
 */
export const mixesCasesAndDigits = (value: string): boolean =>
  /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value) && !/^[0-9a-f]+$/i.test(value);
