import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { AtendeError } from '../atende-error.ts';
import { SATISFACTION_RATINGS, type SatisfactionRating } from './ticket.ts';

/**
 * The signed token of a satisfaction survey link: `base64url(JSON payload) "." base64url(HMAC-SHA256)`,
 * the MAC taken over the encoded payload as it stands in the token, so the bytes checked are the
 * bytes read (no re-serialising, no canonical-JSON question).
 */
export interface SurveyToken {
  readonly ticketNumber: number;
  readonly rating: SatisfactionRating;
  /** When the link was made: epoch milliseconds, kept to the second. */
  readonly issuedAt: number;
}

/** How long a survey link records an answer. */
export const SURVEY_TOKEN_LIFETIME_MS = 90 * 24 * 3_600_000;
/**
 * Longer than any token atende signs (about 110 characters); anything longer is refused before
 * it is decoded or hashed, so a hostile URL costs nothing.
 */
export const SURVEY_TOKEN_MAX_CHARS = 512;
/** A key shorter than SHA-256's output makes the MAC weaker than it looks. */
export const SURVEY_SECRET_MIN_BYTES = 32;

/** The payload as written: short names keep links short. */
const Payload = z.strictObject({
  n: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  r: z.enum(SATISFACTION_RATINGS),
  i: z
    .number()
    .int()
    .nonnegative()
    .max(Number.MAX_SAFE_INTEGER / 1000),
});

/** base64url without padding: one character class, no alternation, so the test is linear. */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const mac = (secret: Uint8Array, encodedPayload: string): string =>
  createHmac('sha256', secret).update(encodedPayload, 'ascii').digest('base64url');

const assertSecret = (secret: Uint8Array): void => {
  if (secret.byteLength < SURVEY_SECRET_MIN_BYTES)
    throw new AtendeError(
      'survey.secretInvalid',
      `the survey secret must hold at least ${SURVEY_SECRET_MIN_BYTES} bytes`,
      {
        details: { bytes: secret.byteLength, minimum: SURVEY_SECRET_MIN_BYTES },
      },
    );
};

/** The token of one link: this ticket, this rating, issued now. */
export function signSurveyToken(secret: Uint8Array, token: SurveyToken): string {
  assertSecret(secret);
  const payload = Payload.parse({ n: token.ticketNumber, r: token.rating, i: Math.floor(token.issuedAt / 1000) });
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${encoded}.${mac(secret, encoded)}`;
}

const invalid = (reason: string, cause?: unknown): AtendeError =>
  new AtendeError('survey.invalidToken', `the survey link is not valid (${reason})`, {
    details: { reason },
    ...(cause === undefined ? {} : { cause }),
  });

/**
 * What a link's token says, once its signature is checked: `survey.invalidToken` for anything
 * malformed, too long, signed with another secret or carrying an unknown rating;
 * `survey.expired` once it is older than SURVEY_TOKEN_LIFETIME_MS at `now`. The payload is read
 * only after the signature matched: hostile JSON never reaches the parser.
 */
export function readSurveyToken(secret: Uint8Array, token: string, now: number): SurveyToken {
  assertSecret(secret);
  if (token.length > SURVEY_TOKEN_MAX_CHARS) throw invalid('too-long');
  const dot = token.indexOf('.');
  if (dot < 0 || dot !== token.lastIndexOf('.')) throw invalid('malformed');
  const encoded = token.slice(0, dot);
  const signature = token.slice(dot + 1);
  if (!BASE64URL.test(encoded) || !BASE64URL.test(signature)) throw invalid('malformed');
  const expected = mac(secret, encoded);
  // Compared as text: base64url has several spellings of one byte string (the last character's
  // spare bits), and only the one atende writes is accepted.
  if (
    signature.length !== expected.length ||
    !timingSafeEqual(Buffer.from(signature, 'ascii'), Buffer.from(expected, 'ascii'))
  )
    throw invalid('bad-signature');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch (error) {
    // Only atende signs tokens, so this is a payload signed by a broken build, not by an attacker.
    throw invalid('malformed', error);
  }
  const payload = Payload.safeParse(json);
  if (!payload.success) {
    const ratingIssue = payload.error.issues.some((issue) => issue.path[0] === 'r');
    throw invalid(ratingIssue ? 'unknown-rating' : 'malformed');
  }
  const parsed: SurveyToken = { ticketNumber: payload.data.n, rating: payload.data.r, issuedAt: payload.data.i * 1000 };
  if (now - parsed.issuedAt > SURVEY_TOKEN_LIFETIME_MS) {
    throw new AtendeError('survey.expired', `the survey link of ticket ${parsed.ticketNumber} has expired`, {
      details: { ticketNumber: parsed.ticketNumber, issuedAt: new Date(parsed.issuedAt).toISOString() },
    });
  }
  return parsed;
}
