import { describe, expect, it } from 'vitest';
import {
  checkStatusToken,
  parseStatusToken,
  STATUS_TOKEN_MAX_CHARS,
  signStatusToken,
} from '../../../lib/domain/ticket/status-token.ts';

const SECRET = Buffer.alloc(32, 7);
const OTHER_SECRET = Buffer.alloc(32, 8);
const NOW = Date.parse('2026-11-24T15:00:00Z');
const DAY = 24 * 3_600_000;
const REQUESTER = 'ana@example.org';

const sign = (overrides: { ticketNumber?: number; requester?: string; expiresAt?: number } = {}) =>
  signStatusToken(SECRET, { ticketNumber: 42, requester: REQUESTER, expiresAt: NOW + 90 * DAY, ...overrides });

const check = (token: string, requester = REQUESTER, now = NOW, secret: Uint8Array = SECRET) => {
  const claim = parseStatusToken(token);
  if (claim === null) return 'malformed';
  return checkStatusToken(secret, claim, requester, now);
};

describe('the status token', () => {
  it('opens the page of the ticket and requester it was signed for', () => {
    const token = sign();

    expect(parseStatusToken(token)?.ticketNumber).toBe(42);
    expect(check(token)).toBe('valid');
  });

  it('reads the requester without regard to case, as mail addresses are compared', () => {
    expect(check(sign(), 'Ana@Example.ORG')).toBe('valid');
  });

  it('does not carry the requester address in the link', () => {
    expect(sign()).not.toContain('ana');
  });

  it('is tampered when the number is changed to another ticket', () => {
    const [, expiry, mac] = sign().split('.');

    expect(check(`43.${expiry}.${mac}`)).toBe('tampered');
  });

  it('is tampered when the expiry is pushed later', () => {
    const [number, expiry, mac] = sign({ expiresAt: NOW - DAY }).split('.');

    expect(check(`${number}.${Number(expiry) + 365 * 86_400}.${mac}`)).toBe('tampered');
  });

  it('is tampered for another requester: a ticket whose requester changed stops opening for the old one', () => {
    expect(check(sign(), 'eve@example.org')).toBe('tampered');
  });

  it('is tampered when signed with another secret', () => {
    expect(check(sign(), REQUESTER, NOW, OTHER_SECRET)).toBe('tampered');
  });

  it('is tampered when one character of the signature changes', () => {
    const token = sign();
    const last = token.at(-1) === 'A' ? 'B' : 'A';

    expect(check(`${token.slice(0, -1)}${last}`)).toBe('tampered');
  });

  it('expires at the moment it was signed to, and not before', () => {
    const token = sign({ expiresAt: NOW + DAY });

    expect(check(token, REQUESTER, NOW + DAY - 1000)).toBe('valid');
    expect(check(token, REQUESTER, NOW + DAY)).toBe('expired');
  });

  it.each([
    ['empty', ''],
    ['no dots', 'abc'],
    ['a survey-shaped token', 'eyJuIjo0Mn0.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ'],
    ['a leading zero', `042.${Math.floor(NOW / 1000)}.${'A'.repeat(43)}`],
    ['a short signature', `42.${Math.floor(NOW / 1000)}.${'A'.repeat(42)}`],
    ['a percent sign', `42.${Math.floor(NOW / 1000)}.${'A'.repeat(42)}%`],
    ['too long', 'A'.repeat(STATUS_TOKEN_MAX_CHARS + 1)],
  ])('is malformed: %s', (_name, token) => {
    expect(parseStatusToken(token)).toBeNull();
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => signStatusToken(Buffer.alloc(31), { ticketNumber: 1, requester: REQUESTER, expiresAt: NOW })).toThrow(
      expect.objectContaining({ code: 'survey.secretInvalid' }),
    );
  });
});
