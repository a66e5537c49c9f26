import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMime, extraHeadersOf, recipientsOf } from '../../../lib/adapters/mail/mime-composer.ts';
import type { OutgoingMail } from '../../../lib/application/ports/mailer.ts';
import { type ErrorCode, isAtendeError } from '../../../lib/domain/atende-error.ts';
import { acknowledgement, headerLines, headerNamed, rawHeaderBlock } from './outgoing-mail-fixtures.ts';

const INJECTION = '\r\nBcc: victim@example.com';

const rejection = async (
  mail: OutgoingMail,
  options?: Parameters<typeof composeMime>[1],
): Promise<ErrorCode | undefined> => {
  try {
    await composeMime(mail, options);
    return undefined;
  } catch (error) {
    if (isAtendeError(error)) return error.code;
    throw error;
  }
};

/** No header line of the message is a Bcc, a second To or anything the attacker named. */
const expectNoInjectedHeader = (raw: Buffer) => {
  const names = headerLines(raw).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
  expect(names).not.toContain('bcc');
  expect(names.filter((name) => name === 'to')).toHaveLength(1);
  expect(rawHeaderBlock(raw)).not.toMatch(/\r\nBcc:/i);
};

describe('composing an outgoing mail', () => {
  it('writes text and HTML as multipart/alternative, with the threading headers', async () => {
    const raw = await composeMime(acknowledgement, {
      messageId: '<ack-1@example.com>',
      date: new Date('2026-11-24T13:00:00Z'),
    });
    const parsed = await simpleParser(raw);

    expect(headerNamed(raw, 'Content-Type')[0]).toMatch(/^multipart\/alternative;/);
    expect(parsed.text).toBe('Hello Ana,\n\nwe have opened ticket #1042.\n');
    expect(parsed.html).toBe('<p>Hello Ana,</p><p>we have opened ticket #1042.</p>');
    expect(headerNamed(raw, 'In-Reply-To')).toEqual(['<CAF=abc123@mail.cliente.example>']);
    expect(headerNamed(raw, 'References')).toEqual(['<CAF=abc123@mail.cliente.example>']);
    expect(headerNamed(raw, 'Message-ID')).toEqual(['<ack-1@example.com>']);
    expect(headerNamed(raw, 'Date')).toEqual(['Tue, 24 Nov 2026 13:00:00 +0000']);
    expect(headerNamed(raw, 'From')).toEqual(['Atende Support <servicedesk@example.com>']);
    expect(headerNamed(raw, 'To')).toEqual(['Ana Souza <ana.souza@cliente.example>']);
    expect(headerNamed(raw, 'Cc')).toEqual(['ops@cliente.example']);
  });

  it('writes a text-only mail as a single text/plain part', async () => {
    const { html: _omitted, ...textOnly } = acknowledgement;
    const raw = await composeMime(textOnly);

    expect(headerNamed(raw, 'Content-Type')[0]).toMatch(/^text\/plain; charset=utf-8/);
  });

  it('marks automatic mail per RFC 3834 and asks Exchange not to auto-reply to it', async () => {
    const raw = await composeMime(acknowledgement);

    expect(headerNamed(raw, 'Auto-Submitted')).toEqual(['auto-replied']);
    expect(headerNamed(raw, 'X-Auto-Response-Suppress')).toEqual(['All']);
    expect(headerNamed(raw, 'X-Atende-Ticket')).toEqual(['1042']);
  });

  it('leaves Auto-Submitted out of a relayed human reply', async () => {
    const { autoSubmitted: _omitted, ...relay } = acknowledgement;
    const raw = await composeMime(relay);

    expect(headerNamed(raw, 'Auto-Submitted')).toEqual([]);
    expect(headerNamed(raw, 'X-Auto-Response-Suppress')).toEqual([]);
  });

  it('keeps the whole thread in References, oldest first, folded but intact', async () => {
    const thread = Array.from({ length: 12 }, (_, n) => `<message-${n}.a-rather-long-identifier@mail.cliente.example>`);
    const raw = await composeMime({ ...acknowledgement, inReplyTo: thread.at(-1), references: thread });
    const parsed = await simpleParser(raw);

    expect(parsed.references).toEqual(thread);
    expect(
      rawHeaderBlock(raw)
        .split('\r\n')
        .every((line) => line.length <= 78),
    ).toBe(true);
  });

  it('leaves out a malformed Message-ID it was asked to answer instead of writing it into a header', async () => {
    const raw = await composeMime({
      ...acknowledgement,
      inReplyTo: `<abc@x>${INJECTION}`,
      references: ['no-brackets@x', '<ok@x>', '<two words@x>'],
    });

    expect(headerNamed(raw, 'In-Reply-To')).toEqual([]);
    expect(headerNamed(raw, 'References')).toEqual(['<ok@x>']);
    expectNoInjectedHeader(raw);
  });
});

describe('non-ASCII text in headers', () => {
  it('encodes a subject as RFC 2047 encoded words, folded, and it decodes back unchanged', async () => {
    const subject = '[Atende #1042] Não consigo acessar o painel — Ошибка входа, ¿qué pasa? '.repeat(2).trim();
    const raw = await composeMime({ ...acknowledgement, subject });
    const block = rawHeaderBlock(raw);

    expect(block).toMatch(/Subject: =\?UTF-8\?[QB]\?/);
    // Headers stay 7-bit and within the recommended 78 characters (RFC 5322 §2.1.1).
    expect(/^[\x00-\x7f]*$/.test(block)).toBe(true);
    expect(block.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    expect((await simpleParser(raw)).subject).toBe(subject);
  });

  it('encodes display names with accents, quotes and angle brackets', async () => {
    const name = 'José "Pepe" Ñandú <admin>';
    const raw = await composeMime({ ...acknowledgement, to: [{ address: 'jose@cliente.example', name }] });
    const parsed = await simpleParser(raw);
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;

    expect(to?.value).toEqual([{ address: 'jose@cliente.example', name }]);
    expect(headerNamed(raw, 'To')[0]).toMatch(/=\?UTF-8\?/);
  });
});

describe('hostile text in headers (header injection)', () => {
  it('keeps a subject with CR LF "Bcc:" on one Subject line', async () => {
    const raw = await composeMime({ ...acknowledgement, subject: `Printer offline${INJECTION}` });

    expectNoInjectedHeader(raw);
    expect((await simpleParser(raw)).subject).toBe('Printer offline Bcc: victim@example.com');
  });

  it('keeps a display name with CR LF "Bcc:" inside the From and To fields', async () => {
    const raw = await composeMime({
      ...acknowledgement,
      from: { address: 'servicedesk@example.com', name: `Atende${INJECTION}` },
      to: [{ address: 'ana.souza@cliente.example', name: `Ana${INJECTION}` }],
    });
    const parsed = await simpleParser(raw);

    expectNoInjectedHeader(raw);
    expect(parsed.from?.value).toEqual([
      { address: 'servicedesk@example.com', name: 'Atende Bcc: victim@example.com' },
    ]);
    expect(parsed.bcc).toBeUndefined();
  });

  it('keeps an extra header value with CR LF on its own line', async () => {
    const raw = await composeMime({ ...acknowledgement, headers: { 'X-Atende-Ticket': `1042${INJECTION}` } });

    expectNoInjectedHeader(raw);
    expect(headerNamed(raw, 'X-Atende-Ticket')).toEqual(['1042 Bcc: victim@example.com']);
  });

  it.each([
    ['a name with CR LF', `X-Atende${INJECTION}`],
    ['a name with a colon', 'X-Atende: 1'],
    ['a name with a space', 'X Atende'],
    ['a non-ASCII name', 'X-Atendé'],
    ['an empty name', ''],
    ['Bcc', 'Bcc'],
    ['To in another case', 'tO'],
    ['Content-Type', 'Content-Type'],
    ['Message-ID', 'Message-Id'],
  ])('refuses an extra header with %s (mail.invalidHeader)', async (_case, name) => {
    expect(await rejection({ ...acknowledgement, headers: { [name]: 'x' } })).toBe('mail.invalidHeader');
  });

  it.each([
    ['two addresses in one', 'ana@cliente.example, victim@example.com'],
    ['a CR LF', `ana@cliente.example${INJECTION}`],
    ['angle brackets', '<ana@cliente.example>'],
    ['no domain', 'ana'],
    ['white space', 'ana souza@cliente.example'],
  ])('refuses an address with %s (mail.invalidAddress)', async (_case, address) => {
    expect(await rejection({ ...acknowledgement, to: [{ address }] })).toBe('mail.invalidAddress');
    expect(await rejection({ ...acknowledgement, from: { address } })).toBe('mail.invalidAddress');
  });

  it('refuses a mail with no recipient', async () => {
    expect(await rejection({ ...acknowledgement, to: [], cc: [] })).toBe('mail.invalidAddress');
  });

  it('refuses a Message-ID of its own that is not one', async () => {
    expect(await rejection(acknowledgement, { messageId: `<a@b>${INJECTION}` })).toBe('mail.invalidHeader');
    expect(await rejection(acknowledgement, { messageId: 'a@b' })).toBe('mail.invalidHeader');
  });
});

describe('what the mailers take from the composer', () => {
  it('sends to To and Cc, each address once', () => {
    expect(
      recipientsOf({
        ...acknowledgement,
        cc: [{ address: 'ops@cliente.example' }, { address: 'ana.souza@cliente.example' }],
      }),
    ).toEqual(['ana.souza@cliente.example', 'ops@cliente.example']);
  });

  it('lists the extra headers it writes', () => {
    expect(extraHeadersOf(acknowledgement)).toEqual({
      'Auto-Submitted': 'auto-replied',
      'X-Auto-Response-Suppress': 'All',
      'X-Atende-Ticket': '1042',
    });
  });
});
