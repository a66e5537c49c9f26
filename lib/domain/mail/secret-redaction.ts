import { awsSecretKeys } from './aws-secret-keys.ts';
import { cardNumbers } from './card-numbers.ts';
import { knownKeys, labelledKeys } from './known-keys.ts';
import { labelledPasswords } from './labelled-passwords.ts';
import { nonSecretSpans } from './non-secret-spans.ts';
import { randomTokens } from './random-tokens.ts';
import type { Candidate, SecretKind } from './secret-candidates.ts';
import { urlCredentials } from './url-credentials.ts';

export type { SecretKind } from './secret-candidates.ts';

/**
 * Masks secrets customers paste into support mail (DESIGN: "Secrets are masked in stored text,
 * keeping only the first and last characters, and the acknowledgement says so"). A missed
 * secret stays readable by everyone with access to tickets; a false alarm garbles an order
 * number or a Message-ID an agent needs. So each detector looks for evidence, not just length:
 * a known key format (known-keys.ts), a label ("password:", "Bearer": labelled-passwords.ts,
 * known-keys.ts), a URL's own syntax (url-credentials.ts), the context of an AWS secret key
 * (aws-secret-keys.ts), a checksum (Luhn: card-numbers.ts), or the shape of random data
 * (random-tokens.ts), the last two only outside the spans where shape proves nothing
 * (non-secret-spans.ts).
 */

export interface SecretFinding {
  readonly kind: SecretKind;
  /** Which detector matched, e.g. `stripe-key`, `password-label`, `luhn`. */
  readonly detector: string;
  /** Position and length of the secret in the original text (UTF-16 code units). */
  readonly index: number;
  readonly length: number;
  /** The secret as it now reads, e.g. `s*********9`. */
  readonly masked: string;
}

export interface MaskedText {
  readonly text: string;
  readonly found: readonly SecretFinding[];
}

/** Keeps the first and the last character and stars the rest; separators of a card number stay. */
export function maskValue(secret: string, kind: SecretKind = 'api-key'): string {
  const chars = [...secret];
  if (chars.length <= 2) return '*'.repeat(chars.length);
  const keep = (char: string, position: number) =>
    position === 0 || position === chars.length - 1 || (kind === 'card-number' && /[\s-]/.test(char));
  return chars.map((char, position) => (keep(char, position) ? char : '*')).join('');
}

/** Finds and masks secrets in `text`. Pure; the same text always gives the same result. Linear in the text. */
export function maskSecrets(text: string): MaskedText {
  const excluded = nonSecretSpans(text);
  const candidates = [
    ...knownKeys(text),
    ...labelledKeys(text),
    ...awsSecretKeys(text, excluded),
    ...urlCredentials(text),
    ...labelledPasswords(text, excluded),
    ...cardNumbers(text, excluded),
    ...randomTokens(text, excluded),
  ];
  const chosen = pickNonOverlapping(text, candidates);
  let masked = '';
  let cursor = 0;
  const found: SecretFinding[] = [];
  for (const candidate of chosen) {
    const secret = text.slice(candidate.index, candidate.index + candidate.length);
    const replacement = maskValue(secret, candidate.kind);
    masked += text.slice(cursor, candidate.index) + replacement;
    cursor = candidate.index + candidate.length;
    found.push({
      kind: candidate.kind,
      detector: candidate.detector,
      index: candidate.index,
      length: candidate.length,
      masked: replacement,
    });
  }
  return { text: masked + text.slice(cursor), found };
}

/**
 * The strongest candidates that do not overlap, in text order. Overlap is checked against a map
 * of the characters already taken, not against every candidate chosen so far: 40,000 findings
 * (200 KB of `pw:1 `) made that pairwise check take seconds. Each detector's own matches do not
 * overlap, so the characters looked at add up to a few times the text's length.
 */
function pickNonOverlapping(text: string, candidates: readonly Candidate[]): Candidate[] {
  const byStrength = [...candidates].sort(
    (a, b) => b.priority - a.priority || b.length - a.length || a.index - b.index,
  );
  const taken = new Uint8Array(text.length);
  const free = (candidate: Candidate) => {
    const end = candidate.index + candidate.length;
    for (let position = candidate.index; position < end; position++) if (taken[position] === 1) return false;
    return true;
  };
  const chosen: Candidate[] = [];
  for (const candidate of byStrength) {
    if (!free(candidate)) continue;
    taken.fill(1, candidate.index, candidate.index + candidate.length);
    chosen.push(candidate);
  }
  return chosen.sort((a, b) => a.index - b.index);
}
