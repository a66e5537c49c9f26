import { createHmac, timingSafeEqual } from 'node:crypto';
import { AtendeError } from '../atende-error.ts';

/**
 * The signed token of a ticket's status page: `<ticket number>.<expiry, epoch seconds>.<MAC>`,
 * the MAC an HMAC-SHA256 (base64url) over a purpose label, the number, the expiry and the
 * requester's address. The address is signed but not written: the link in a mail must not carry
 * the customer's address in the clear, and a ticket whose requester changed stops opening for
 * the old one. A token is read in two steps, because checking the MAC needs the ticket's requester:
 * `parseStatusToken` (shape only), then `checkStatusToken` against the ticket.
 */
export interface StatusTokenClaim {
  readonly ticketNumber: number;
  /** Epoch milliseconds, kept to the second. */
  readonly expiresAt: number;
  readonly signature: string;
}

/** What a token proves once checked against its ticket. */
export type StatusTokenCheck = 'valid' | 'tampered' | 'expired';

/**
 * Longer than any token atende signs (about 70 characters); anything longer is refused before it is
 * split or hashed, so a hostile URL costs nothing.
 */
export const STATUS_TOKEN_MAX_CHARS = 256;
/** A key shorter than SHA-256's output makes the MAC weaker than it looks. */
export const STATUS_SECRET_MIN_BYTES = 32;

/**
 * Keeps status MACs apart from every other MAC made with the same deployment secret (the survey
 * links share it): a survey token can never pass for a status token.
 */
const PURPOSE = 'atende-status-page-v1';

/** Digits without a leading zero, a dot, digits, a dot, base64url: linear, no alternation. */
const TOKEN = /^([1-9][0-9]{0,15})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})$/;

const assertSecret = (secret: Uint8Array): void => {
  if (secret.byteLength < STATUS_SECRET_MIN_BYTES)
    throw new AtendeError(
      'survey.secretInvalid',
      `the secret of status links must hold at least ${STATUS_SECRET_MIN_BYTES} bytes`,
      { details: { bytes: secret.byteLength, minimum: STATUS_SECRET_MIN_BYTES } },
    );
};

const mac = (secret: Uint8Array, ticketNumber: number, expiresAtSeconds: number, requester: string): string =>
  createHmac('sha256', secret)
    .update(`${PURPOSE}\n${ticketNumber}\n${expiresAtSeconds}\n${requester.toLowerCase()}`, 'utf8')
    .digest('base64url');

/** The token of a link to this ticket's page for this requester, valid until `expiresAt`. */
export function signStatusToken(
  secret: Uint8Array,
  token: { readonly ticketNumber: number; readonly requester: string; readonly expiresAt: number },
): string {
  assertSecret(secret);
  if (!Number.isSafeInteger(token.ticketNumber) || token.ticketNumber < 1)
    throw new RangeError(`not a ticket number: ${token.ticketNumber}`);
  const seconds = Math.floor(token.expiresAt / 1000);
  return `${token.ticketNumber}.${seconds}.${mac(secret, token.ticketNumber, seconds, token.requester)}`;
}

/** The token's claims as written, or null when it is not shaped like a token atende signs. Nothing is trusted yet. */
export function parseStatusToken(token: string): StatusTokenClaim | null {
  if (token.length > STATUS_TOKEN_MAX_CHARS) return null;
  const match = TOKEN.exec(token);
  if (!match) return null;
  const ticketNumber = Number(match[1]);
  const seconds = Number(match[2]);
  if (!Number.isSafeInteger(ticketNumber)) return null;
  return { ticketNumber, expiresAt: seconds * 1000, signature: match[3] as string };
}

/**
 * Whether a claim was signed for this requester with this secret, and is still valid at `now`.
 * The MAC is checked first: an altered number or expiry reads "tampered", never "expired", so a
 * forged token learns nothing about the ticket it names.
 */
export function checkStatusToken(
  secret: Uint8Array,
  claim: StatusTokenClaim,
  requester: string,
  now: number,
): StatusTokenCheck {
  assertSecret(secret);
  const expected = mac(secret, claim.ticketNumber, claim.expiresAt / 1000, requester);
  // Compared as text: base64url has several spellings of one byte string (the last character's
  // spare bits), and only the one atende writes is accepted.
  if (
    claim.signature.length !== expected.length ||
    !timingSafeEqual(Buffer.from(claim.signature, 'ascii'), Buffer.from(expected, 'ascii'))
  )
    return 'tampered';
  return now >= claim.expiresAt ? 'expired' : 'valid';
}
