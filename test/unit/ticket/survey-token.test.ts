import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtendeError } from '../../../lib/domain/atende-error.ts';
import {
  readSurveyToken,
  SURVEY_TOKEN_LIFETIME_MS,
  SURVEY_TOKEN_MAX_CHARS,
  signSurveyToken,
} from '../../../lib/domain/ticket/survey-token.ts';

const SECRET = Buffer.alloc(32, 7);
const OTHER_SECRET = Buffer.alloc(32, 8);
const ISSUED = Date.parse('2026-11-24T15:00:00Z');
const DAY = 24 * 3_600_000;

const failure = (run: () => unknown): AtendeError => {
  try {
    run();
  } catch (error) {
    if (error instanceof AtendeError) return error;
    throw error;
  }
  throw new Error('expected an AtendeError');
};
const reasonOf = (token: string, now = ISSUED): unknown => {
  const error = failure(() => readSurveyToken(SECRET, token, now));
  expect(error.code).toBe('survey.invalidToken');
  return error.details['reason'];
};

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const goodToken = signSurveyToken(SECRET, { ticketNumber: 1042, rating: 'good', issuedAt: ISSUED });

describe('survey link tokens', () => {
  it('reads back the ticket, the rating and the issue time (to the second) it was signed with', () => {
    const token = signSurveyToken(SECRET, { ticketNumber: 1042, rating: 'bad', issuedAt: ISSUED + 999 });

    expect(readSurveyToken(SECRET, token, ISSUED + DAY)).toEqual({
      ticketNumber: 1042,
      rating: 'bad',
      issuedAt: ISSUED,
    });
  });

  it('is URL-safe and far shorter than the limit', () => {
    expect(goodToken).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(goodToken.length).toBeLessThan(SURVEY_TOKEN_MAX_CHARS / 3);
  });

  it('refuses a token signed with another secret', () => {
    const token = signSurveyToken(OTHER_SECRET, { ticketNumber: 1042, rating: 'good', issuedAt: ISSUED });

    expect(reasonOf(token)).toBe('bad-signature');
  });

  it('refuses a payload changed after signing (the other rating, another ticket) under the old signature', () => {
    const [, signature] = goodToken.split('.');
    for (const payload of [
      { n: 1042, r: 'bad', i: ISSUED / 1000 },
      { n: 1043, r: 'good', i: ISSUED / 1000 },
      { n: 1042, r: 'good', i: ISSUED / 1000 + 1 },
    ])
      expect(reasonOf(`${encode(payload)}.${signature}`)).toBe('bad-signature');
  });

  it('refuses a changed or cut signature, and another spelling of the same signature bytes', () => {
    const [payload, signature = ''] = goodToken.split('.');
    const last = signature.at(-1) ?? 'A';
    // The last of 43 characters carries 4 bits of the MAC and 2 spare ones: flipping a spare bit
    // gives the same bytes, which a lenient decoder would accept.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
    expect(Buffer.from(`${signature.slice(0, -1)}${sameBytes}`, 'base64url')).toEqual(
      Buffer.from(signature, 'base64url'),
    );

    expect(reasonOf(`${payload}.${signature.slice(0, -1)}${sameBytes}`)).toBe('bad-signature');
    expect(reasonOf(`${payload}.${signature.slice(0, -1)}`)).toBe('bad-signature');
    expect(reasonOf(`${payload}.${signature}A`)).toBe('bad-signature');
    expect(reasonOf(`${payload}.${signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`)).toBe('bad-signature');
  });

  it('refuses a rating it does not know, even when correctly signed', () => {
    const payload = encode({ n: 1042, r: 'meh', i: ISSUED / 1000 });
    const forged = `${payload}.${macOf(payload)}`;

    expect(reasonOf(forged)).toBe('unknown-rating');
  });

  it('refuses signed payloads that are not its shape (extra fields, not JSON, a negative ticket)', () => {
    for (const text of [
      JSON.stringify({ n: 1042, r: 'good', i: ISSUED / 1000, admin: true }),
      JSON.stringify({ n: -1, r: 'good', i: ISSUED / 1000 }),
      JSON.stringify({ n: 1.5, r: 'good', i: ISSUED / 1000 }),
      JSON.stringify({ ['__proto__']: { n: 1 }, r: 'good', i: 1 }),
      '{"n":',
      'null',
    ]) {
      const payload = Buffer.from(text).toString('base64url');
      expect(reasonOf(`${payload}.${macOf(payload)}`)).toBe('malformed');
    }
  });

  it('says expired, naming the ticket, once the link is older than 90 days, and not a second before', () => {
    expect(readSurveyToken(SECRET, goodToken, ISSUED + SURVEY_TOKEN_LIFETIME_MS).ticketNumber).toBe(1042);

    const error = failure(() => readSurveyToken(SECRET, goodToken, ISSUED + SURVEY_TOKEN_LIFETIME_MS + 1));
    expect(error.code).toBe('survey.expired');
    expect(error.details['ticketNumber']).toBe(1042);
    expect(SURVEY_TOKEN_LIFETIME_MS).toBe(90 * DAY);
  });

  it('refuses a token over 512 characters before reading it, whatever it holds', () => {
    expect(reasonOf(`${goodToken}${'A'.repeat(SURVEY_TOKEN_MAX_CHARS)}`)).toBe('too-long');
    expect(reasonOf('.'.repeat(SURVEY_TOKEN_MAX_CHARS + 1))).toBe('too-long');
  });

  it('refuses malformed shapes: no dot, two dots, empty parts, characters outside base64url', () => {
    const [payload, signature] = goodToken.split('.');
    for (const token of [
      '',
      '.',
      `${payload}`,
      `${payload}.`,
      `.${signature}`,
      `${payload}.${signature}.x`,
      `${payload}=.${signature}`,
      `${payload}.${signature}%00`,
      `${payload} .${signature}`,
      `${payload}.${signature}\n`,
      `${payload}/.${signature}`,
    ])
      expect(reasonOf(token)).toBe('malformed');
  });

  it('answers any string up to 600 characters that it did not sign with survey.invalidToken, never another error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600, unit: 'binary' }), (text) => {
        expect(failure(() => readSurveyToken(SECRET, text, ISSUED)).code).toBe('survey.invalidToken');
      }),
      { numRuns: 500 },
    );
    // Shapes that would make a backtracking matcher slow: long runs of one class and a bad ending.
    for (const token of [`${'A'.repeat(500)}!`, `${'-'.repeat(250)}.${'_'.repeat(250)}.`, `${'a.'.repeat(256)}`])
      expect(failure(() => readSurveyToken(SECRET, token, ISSUED)).code).toBe('survey.invalidToken');
  });

  it('refuses to sign or read with a secret shorter than 32 bytes', () => {
    expect(
      failure(() => signSurveyToken(Buffer.alloc(16), { ticketNumber: 1, rating: 'good', issuedAt: ISSUED })).code,
    ).toBe('survey.secretInvalid');
    expect(failure(() => readSurveyToken(Buffer.alloc(31), goodToken, ISSUED)).code).toBe('survey.secretInvalid');
  });
});

/**
 * A signature made as the token's format says (base64url of HMAC-SHA256 over the encoded
 * payload), for specs that need an odd payload correctly signed.
 */
function macOf(payload: string): string {
  return createHmac('sha256', SECRET).update(payload, 'ascii').digest('base64url');
}
