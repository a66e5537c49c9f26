import { type Candidate, inside, matches, mixesCasesAndDigits, type Span } from './secret-candidates.ts';

/** Unlabelled keys, by the shape of random data: masked only outside the spans where shape proves nothing. */

/** A run of key characters; "=" only as base64 padding at the end. */
const TOKEN = /(?<![A-Za-z0-9_\-+/=.@])[A-Za-z0-9_\-+/]{32,512}={0,2}(?![A-Za-z0-9_\-+/=@])/g;

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Random keys look like one long run mixing upper case, lower case and digits. Things people
 * name are made of words and numbers joined by separators (`TLS_ECDHE_RSA_WITH_AES_256`,
 * `Outlook-Express-Macintosh-Edition/5.02`, `/org/freedesktop/Hal/devices`), and hex or
 * digits alone identify things (hashes, UUIDs, SES ids) rather than unlock them.
 */
function looksRandom(token: string): boolean {
  if (token.startsWith('/') || token.endsWith('=') || (token.match(/\//g)?.length ?? 0) >= 3) return false;
  const longest = token.split(/[-_/+]/).reduce((best, part) => (part.length > best.length ? part : best), '');
  if (longest.length < 20 || !mixesCasesAndDigits(longest)) return false;
  return entropy(longest) >= 4;
}

export function* randomTokens(text: string, excluded: readonly Span[]): Generator<Candidate> {
  for (const { index, value } of matches(text, TOKEN)) {
    if (!looksRandom(value) || inside(excluded, index, value.length)) continue;
    yield { kind: 'api-key', detector: 'random-token', index, length: value.length, priority: 1 };
  }
}
