import { describe, expect, it } from 'vitest';
import {
  claimKind,
  claimLifetime,
  MESSAGE_ID_CLAIM_TTL_MS,
  SUBJECT_CLAIM_TTL_MS,
  threadClaimKeys,
} from '../../../lib/domain/ticket/threading.ts';

describe('what a mail claims when it opens a thread', () => {
  it('claims its requester and subject, and its own and answered Message-IDs without brackets', () => {
    const keys = threadClaimKeys({
      requester: 'Ana@Customer.example',
      normalizedSubject: 'printer offline',
      messageIds: ['<own@mail.example>', '<parent@mail.example>', '< own@mail.example >'],
    });

    expect(keys).toEqual([
      'subject:ana@customer.example printer offline',
      'message-id:own@mail.example',
      'message-id:parent@mail.example',
    ]);
    expect(keys.map(claimKind)).toEqual(['subject', 'message-id', 'message-id']);
  });

  it('claims no subject when there is none to join on, and at most ten Message-IDs', () => {
    const keys = threadClaimKeys({
      requester: 'ana@customer.example',
      normalizedSubject: null,
      messageIds: Array.from({ length: 30 }, (_, index) => `<id${index}@mail.example>`),
    });

    expect(keys).toHaveLength(10);
    expect(keys.every((key) => claimKind(key) === 'message-id')).toBe(true);
  });

  it('holds a subject claim for minutes, and a Message-ID claim for as long as mail can be held up on its way', () => {
    const [subject, messageId] = threadClaimKeys({
      requester: 'ana@customer.example',
      normalizedSubject: 'printer offline',
      messageIds: ['<parent@mail.example>'],
    });

    expect(claimLifetime(subject!)).toBe(SUBJECT_CLAIM_TTL_MS);
    expect(SUBJECT_CLAIM_TTL_MS).toBe(15 * 60_000);
    // A reply can overtake the mail it answers by days (RFC 5321 §4.5.4.1: senders give up after 4–5).
    expect(claimLifetime(messageId!)).toBe(MESSAGE_ID_CLAIM_TTL_MS);
    expect(MESSAGE_ID_CLAIM_TTL_MS).toBeGreaterThanOrEqual(5 * 24 * 60 * 60_000);
  });
});
