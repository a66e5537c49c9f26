import { describe, expect, it } from 'vitest';
import { bouncedMessageReferences } from '../../../lib/domain/routing/bounced-message.ts';

const bounce = (body: string) =>
  Buffer.from(
    `From: MAILER-DAEMON@mx.example.org\r\nSubject: Undelivered Mail\r\nMessage-ID: <bounce-1@mx.example.org>\r\n\r\n${body.replace(/\n/g, '\r\n')}`,
  );

describe('what a bounce says about the message that bounced', () => {
  it('finds the Message-IDs of the returned header block, not of the bounce itself', () => {
    const result = bouncedMessageReferences(
      bounce(
        'The mail could not be delivered.\n\n--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: <ack-7@atende.example>\n',
      ),
    );

    expect(result).toEqual({ messageIds: ['<ack-7@atende.example>'], ticketNumber: null });
  });

  it('reads returned headers that are quoted, indented or folded onto the next line', () => {
    const result = bouncedMessageReferences(
      bounce('> Message-ID: <a@atende.example>\n   message-id: <b@atende.example>\nMessage-Id:\n <c@atende.example>\n'),
    );

    expect(result.messageIds).toEqual(['<a@atende.example>', '<b@atende.example>', '<c@atende.example>']);
  });

  it('finds our ticket header among the returned headers', () => {
    expect(bouncedMessageReferences(bounce('\n\n>  X-Atende-Ticket: 1042  \n')).ticketNumber).toBe(1042);
    expect(bouncedMessageReferences(bounce('X-Atende-Ticket: 1042 and more\n')).ticketNumber).toBeNull();
  });

  it('finds nothing in a body of blank lines', () => {
    expect(bouncedMessageReferences(bounce('\n'.repeat(1_000)))).toEqual({ messageIds: [], ticketNumber: null });
  });
});
