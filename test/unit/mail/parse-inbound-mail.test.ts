import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtendeError, isAtendeError } from '../../../lib/domain/atende-error.ts';
import { resolveMailLimits } from '../../../lib/domain/mail/mail-limits.ts';
import { isMailableAddress } from '../../../lib/domain/mail/mailable-address.ts';
import { parseInboundMail } from '../../../lib/domain/mail/parse-inbound-mail.ts';
import { mailFixture, rawMail } from './mail-fixtures.ts';

/** Runs `act` expecting an AtendeError and returns its code. */
async function failureCode(act: () => Promise<unknown>): Promise<string> {
  try {
    await act();
  } catch (error) {
    if (error instanceof AtendeError) return error.code;
    throw error;
  }
  throw new Error('expected a failure');
}

/** Runs `act` expecting an AtendeError and returns its code and the limit it names. */
async function refusal(act: () => Promise<unknown>): Promise<{ code: string; limit: unknown }> {
  try {
    await act();
  } catch (error) {
    if (error instanceof AtendeError) return { code: error.code, limit: error.details['limit'] };
    throw error;
  }
  throw new Error('expected a failure');
}

const multipart = (parts: readonly string[]): Buffer =>
  rawMail(
    ['From: a@example.net', 'Content-Type: multipart/mixed; boundary="b"'],
    `${parts.map((part) => `--b\r\n${part}`).join('\r\n')}\r\n--b--\r\n`,
  );

describe('parsing an inbound mail', () => {
  it('reads sender, recipients, subject, threading headers and date of an ordinary message', async () => {
    const raw = rawMail([
      'From: "Ana Souza" <Ana.Souza@Cliente.com.BR>',
      'To: Support <servicedesk@example.com>, outro@cliente.com.br',
      'Cc: chefe@cliente.com.br',
      'Reply-To: ana.pessoal@cliente.com.br',
      'Subject: =?UTF-8?Q?N=C3=A3o_consigo_acessar?=',
      'Message-ID: <abc.123@cliente.com.br>',
      'In-Reply-To: <prev@example.com>',
      'References: <first@example.com>\r\n <prev@example.com>',
      'Date: Tue, 04 Mar 2025 10:12:01 -0300',
    ]);

    const mail = await parseInboundMail(raw);

    expect(mail.from).toEqual({ address: 'ana.souza@cliente.com.br', name: 'Ana Souza' });
    expect(mail.fromSource).toBe('from');
    expect(mail.to.map((to) => to.address)).toEqual(['servicedesk@example.com', 'outro@cliente.com.br']);
    expect(mail.cc.map((cc) => cc.address)).toEqual(['chefe@cliente.com.br']);
    expect(mail.replyTo.map((replyTo) => replyTo.address)).toEqual(['ana.pessoal@cliente.com.br']);
    expect(mail.subject).toBe('Não consigo acessar');
    expect(mail.messageId).toBe('<abc.123@cliente.com.br>');
    expect(mail.inReplyTo).toBe('<prev@example.com>');
    expect(mail.references).toEqual(['<first@example.com>', '<prev@example.com>']);
    expect(mail.date).toBe('2025-03-04T13:12:01.000Z');
    expect(mail.text).toBe('Hello.');
    expect(mail.textSource).toBe('plain');
    expect(mail.rawSize).toBe(raw.length);
  });

  it('keeps every header field by lower-cased name, unfolded, in order', async () => {
    const raw = rawMail([
      'Received: from a\r\n\tby b',
      'Received: from c',
      'From: a@example.net',
      'X-Custom:  folded\r\n  value ',
    ]);

    const mail = await parseInboundMail(raw);

    expect(mail.headers.get('received')).toEqual(['from a\tby b', 'from c']);
    expect(mail.headers.get('x-custom')).toEqual(['folded  value']);
  });

  it('derives the text of an HTML-only message without tags, scripts, styles or shouted headings', async () => {
    const raw = rawMail(
      ['From: a@example.net', 'Content-Type: text/html; charset=utf-8'],
      '<html><head><title>T</title><style>p { color: red }</style></head><body><script>alert(1)</script>' +
        '<h1>Problema</h1><p>El panel <b>no carga</b>. Ver <a href="https://example.net/x">captura</a>.</p></body></html>',
    );

    const mail = await parseInboundMail(raw);

    expect(mail.textSource).toBe('html');
    expect(mail.text).toBe('Problema\n\nEl panel no carga. Ver captura <https://example.net/x>.');
  });

  it('describes attachments and inline images without keeping their bytes', async () => {
    const raw = rawMail(
      ['From: a@example.net', 'Content-Type: multipart/mixed; boundary="b1"'],
      [
        '--b1',
        'Content-Type: text/plain',
        '',
        'See the attached log.',
        '--b1',
        'Content-Type: image/png',
        'Content-ID: <logo@x>',
        'Content-Disposition: inline; filename="logo.png"',
        'Content-Transfer-Encoding: base64',
        '',
        'iVBORw0KGgo=',
        '--b1',
        'Content-Type: text/plain; name="app\r\n .log"',
        'Content-Disposition: attachment; filename="app.log"',
        '',
        'line one',
        '--b1--',
      ].join('\r\n'),
    );

    const mail = await parseInboundMail(raw);

    expect(mail.attachmentCount).toBe(2);
    expect(mail.attachments[0]).toMatchObject({
      filename: 'logo.png',
      contentType: 'image/png',
      size: 8,
      inline: true,
      contentId: 'logo@x',
    });
    expect(mail.attachments[1]).toMatchObject({
      filename: 'app.log',
      contentType: 'text/plain',
      inline: false,
      contentId: null,
    });
    expect(mail.attachments[1]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads a message with CR-only line endings (regression: classic Mac OS mail had no sender or subject)', async () => {
    const raw = Buffer.from(
      'From: MAILER-DAEMON@mx.example.jp\rSubject: Undelivered Mail Returned to Sender\rReturn-Path: <>\r\rbody\r',
      'latin1',
    );

    const mail = await parseInboundMail(raw);

    expect(mail.from?.address).toBe('mailer-daemon@mx.example.jp');
    expect(mail.subject).toBe('Undelivered Mail Returned to Sender');
    expect(mail.returnPath).toBe('');
  });

  it('skips an mbox envelope line and leading blank lines before the headers', async () => {
    const mbox = await parseInboundMail(
      Buffer.from(
        'From someone@example.net Sat Jan  3 01:05:34 1996\nFrom: someone@example.net\nSubject: hi\n\nbody\n',
      ),
    );
    const padded = await parseInboundMail(
      Buffer.from('\r\n     \r\nFrom: someone@example.net\r\nSubject: hi\r\n\r\nbody'),
    );

    expect(mbox.from?.address).toBe('someone@example.net');
    expect(mbox.subject).toBe('hi');
    expect(padded.from?.address).toBe('someone@example.net');
    expect(padded.subject).toBe('hi');
  });

  it('reads a From header in the obsolete syntax with comments and spaces', async () => {
    const raw = rawMail([
      'From  : John Doe <jdoe@machine(comment).  example>',
      'Subject     : Saying Hello',
      'Date  : Fri, 21 Nov 1997 09(comment):   55  :  06 -0600',
    ]);

    const mail = await parseInboundMail(raw);

    expect(mail.from?.address).toBe('jdoe@machine.example');
    expect(mail.fromSource).toBe('from');
    expect(mail.date).toBe('1997-11-21T15:55:06.000Z');
  });

  it('reads a mailer daemon written as a bare local part with a comment', async () => {
    const mail = await parseInboundMail(rawMail(['From: MAILER-DAEMON (Mail Delivery System)', 'Return-Path: <>']));

    expect(mail.from?.address).toBe('mailer-daemon');
    expect(mail.fromSource).toBe('from');
  });

  it('falls back to Sender, then Reply-To, then Return-Path when From is missing, and says so', async () => {
    const sender = await parseInboundMail(
      rawMail(['Sender: list-owner@lists.example.org', 'Reply-To: r@example.org', 'Subject: x']),
    );
    const replyTo = await parseInboundMail(rawMail(['From: Undisclosed sender <>', 'Reply-To: r@example.org']));
    const returnPath = await parseInboundMail(rawMail(['Return-Path: <envelope@example.org>', 'Subject: x']));
    const nobody = await parseInboundMail(rawMail(['Return-Path: <>', 'Subject: x']));

    expect([sender.from?.address, sender.fromSource]).toEqual(['list-owner@lists.example.org', 'sender']);
    expect([replyTo.from?.address, replyTo.fromSource]).toEqual(['r@example.org', 'reply-to']);
    expect([returnPath.from?.address, returnPath.fromSource]).toEqual(['envelope@example.org', 'return-path']);
    expect([nobody.from, nobody.fromSource]).toEqual([null, 'none']);
  });

  it('gives no date rather than the current time when the Date header is unreadable', async () => {
    const mail = await parseInboundMail(rawMail(['From: a@example.net', 'Date: sometime last week']));

    expect(mail.date).toBeNull();
  });

  it('cuts the text at the text limit and says so', async () => {
    const mail = await parseInboundMail(rawMail(['From: a@example.net'], 'x'.repeat(5_000)), { maxTextChars: 1_000 });

    expect(mail.text).toHaveLength(1_000);
    expect(mail.textTruncated).toBe(true);
  });

  it('keeps the fixture of a mail with an API key whole: masking is a later step', async () => {
    const mail = await parseInboundMail(mailFixture('api-key-in-body.eml'));

    expect(mail.from?.address).toBe('dev@acme-ejemplo.io');
    expect(mail.text).toContain('sk_live_51HxKp2EZvKYlo2C8fQm3Vx7LrT9nBq4Wd');
  });
});

describe('reading addresses', () => {
  it('keeps a quoted local part as the address it is, so that it is seen not to be mailable (regression: it became johndoe"@…)', async () => {
    const mail = await parseInboundMail(mailFixture('quoted-local-part-cc.eml'));

    expect(mail.cc).toEqual([
      { address: '"john doe"@cliente.com.br', name: null },
      { address: 'bruno@cliente.com.br', name: 'Bruno Lima' },
    ]);
    expect(mail.cc.map((cc) => isMailableAddress(cc.address))).toEqual([false, true]);
  });

  it('keeps the quotes of a quoted local part that holds an "@", so that no other domain is read from it', async () => {
    const mail = await parseInboundMail(rawMail(['From: a@example.net', 'Cc: "eve@evil.example"@cliente.com.br']));

    expect(mail.cc.map((cc) => cc.address)).toEqual(['"eve@evil.example"@cliente.com.br']);
  });

  it('reads the members of groups, an empty group and the addresses after a group', async () => {
    const mail = await parseInboundMail(
      rawMail([
        'From: a@example.net',
        'To: undisclosed-recipients:;',
        'Cc: Equipe: ana@cliente.com.br, "Bruno" <bruno@cliente.com.br>;, carla@cliente.com.br',
      ]),
    );

    expect(mail.to).toEqual([]);
    expect(mail.cc.map((cc) => cc.address)).toEqual([
      'ana@cliente.com.br',
      'bruno@cliente.com.br',
      'carla@cliente.com.br',
    ]);
  });

  it('decodes encoded display names, and never reads an address out of one', async () => {
    const mail = await parseInboundMail(
      rawMail([
        'From: =?UTF-8?Q?Jo=C3=A3o_Silva?= <joao@cliente.com.br>',
        'Cc: =?UTF-8?B?IkVuZ2VuaGFyaWEiIDxldmVAZXZpbC5leGFtcGxlPg==?= <eng@cliente.com.br>',
      ]),
    );

    expect(mail.from).toEqual({ address: 'joao@cliente.com.br', name: 'João Silva' });
    expect(mail.cc).toEqual([{ address: 'eng@cliente.com.br', name: '"Engenharia" <eve@evil.example>' }]);
  });

  it('keeps addresses without a domain, as local mail and mailer daemons write them', async () => {
    const mail = await parseInboundMail(
      rawMail(['From: Moderator-Address <moderator>', 'To: "x@example" <matmail>', 'Return-Path: <MAILER-DAEMON>']),
    );

    expect(mail.from?.address).toBe('moderator');
    expect(mail.to.map((to) => to.address)).toEqual(['matmail']);
    expect(mail.returnPath).toBe('mailer-daemon');
  });

  it('reads every address of several Cc fields, each once, in order', async () => {
    const mail = await parseInboundMail(
      rawMail(['From: a@example.net', 'Cc: b@example.net, C@Example.net', 'Cc: c@example.net, d@example.net']),
    );

    expect(mail.cc.map((cc) => cc.address)).toEqual(['b@example.net', 'c@example.net', 'd@example.net']);
  });

  it('reads 500 addresses in one Cc, as an amplification attempt writes them', async () => {
    const addresses = Array.from({ length: 500 }, (_, index) => `user${index}@cliente.com.br`);

    const mail = await parseInboundMail(rawMail(['From: a@example.net', `Cc: ${addresses.join(',\r\n ')}`]));

    expect(mail.cc.map((cc) => cc.address)).toEqual(addresses);
  });

  it('drops what is left of a broken address instead of inventing one', async () => {
    const mail = await parseInboundMail(
      rawMail(['From: "Millions Lottery"@example.com>', 'To: servicedesk@example.com, @, a@, <>']),
    );

    expect([mail.from, mail.fromSource]).toEqual([null, 'none']);
    expect(mail.to.map((to) => to.address)).toEqual(['servicedesk@example.com']);
  });
});

describe('reading header text', () => {
  it('reads an 8-bit Latin-1 subject and name without a charset as Latin-1 (regression: stored as Ol�, n�o consigo)', async () => {
    const mail = await parseInboundMail(mailFixture('latin1-subject-without-charset.eml'));

    expect(mail.subject).toBe('Olá, não consigo');
    expect(mail.from).toEqual({ address: 'joao@cliente.com.br', name: 'João Silva' });
  });

  it('reads 8-bit header text as UTF-8 when it is UTF-8 (RFC 6532), else as Windows-1252, field by field', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: José <jose@cliente.es>\r\nSubject: ', 'utf8'),
      Buffer.from([0x93, 0x4f, 0x6c, 0xe1, 0x94, 0x20, 0x80, 0x35]),
      Buffer.from('\r\n\r\nbody'),
    ]);

    const mail = await parseInboundMail(raw);

    expect(mail.from?.name).toBe('José');
    expect(mail.subject).toBe('“Olá” €5');
  });

  it('removes NUL, ESC, BEL, DEL and C1 controls from the subject and names, and makes tabs and line breaks spaces', async () => {
    const raw = rawMail([
      'From: "Ana\x07 \x1b[31mSouza" <ana@cliente.com.br>',
      'Subject: Ol\u00e1\x00\tmundo\x7f\u009b =?UTF-8?Q?x=0D=0Ay=1B]0;t=07?=',
    ]);

    const mail = await parseInboundMail(raw);

    expect(mail.subject).toBe('Ol\u00e1 mundo x y]0;t');
    expect(mail.from?.name).toBe('Ana [31mSouza');
  });

  it('removes control characters from Message-ID, In-Reply-To and References (regression: the corpus fuzz stored a NUL in a Message-ID)', async () => {
    const raw = rawMail([
      'From: ana@cliente.com.br',
      'Message-ID: <07B7061D-C341\x00@makita.example>',
      'In-Reply-To: <prev\x1b[2J@example.com>',
      'References: <first\x07@example.com> <se\x7fcond\u0085@example.com>',
    ]);

    const mail = await parseInboundMail(raw);

    expect(mail.messageId).toBe('<07B7061D-C341@makita.example>');
    expect(mail.inReplyTo).toBe('<prev[2J@example.com>');
    expect(mail.references).toEqual(['<first@example.com>', '<second@example.com>']);
  });

  it('reads the first header line even when it starts with white space', async () => {
    const mail = await parseInboundMail(Buffer.from(' From: Ana <ana@cliente.com.br>\r\nSubject: oi\r\n\r\nbody'));

    expect(mail.from?.address).toBe('ana@cliente.com.br');
  });
});

describe('limits on hostile mail', () => {
  it('refuses a message larger than the raw limit before reading it', async () => {
    const raw = Buffer.alloc(2_048, 'a');

    expect(await failureCode(() => parseInboundMail(raw, { maxRawBytes: 1_024 }))).toBe('mail.tooLarge');
  });

  it('accepts messages up to 40 MB by default, as SES does', () => {
    expect(resolveMailLimits().maxRawBytes).toBe(40_000_000);
  });

  it('refuses a header block larger than the header limit', async () => {
    const raw = rawMail(['From: a@example.net', `X-Padding: ${'p'.repeat(4_000)}`]);

    expect(await failureCode(() => parseInboundMail(raw, { maxHeaderBytes: 2_048 }))).toBe('mail.tooLarge');
  });

  it('refuses more header fields than the field limit before the MIME parser reads them', async () => {
    const raw = rawMail(['From: a@example.net', ...Array.from({ length: 20 }, (_, index) => `X-Field-${index}: v`)]);

    expect(await refusal(() => parseInboundMail(raw, { maxHeaderFields: 20 }))).toEqual({
      code: 'mail.tooLarge',
      limit: 'maxHeaderFields',
    });
    expect((await parseInboundMail(raw, { maxHeaderFields: 21 })).headers.size).toBe(21);
  });

  it('refuses more MIME parts than the part limit, naming it', async () => {
    const raw = multipart(Array.from({ length: 12 }, (_, index) => `Content-Type: text/plain\r\n\r\npart ${index}`));

    expect(await refusal(() => parseInboundMail(raw, { maxMimeParts: 10 }))).toEqual({
      code: 'mail.tooLarge',
      limit: 'maxMimeParts',
    });
    expect((await parseInboundMail(raw, { maxMimeParts: 13 })).text).toContain('part 11');
  });

  it('refuses a MIME part whose header block is larger than the header limit, naming it', async () => {
    const raw = multipart([`Content-Type: text/plain\r\nX-Padding: ${'p'.repeat(4_000)}\r\n\r\ninside`]);

    expect(await refusal(() => parseInboundMail(raw, { maxHeaderBytes: 2_048 }))).toEqual({
      code: 'mail.tooLarge',
      limit: 'maxHeaderBytes',
    });
  });

  it('refuses a part limit the MIME parser cannot keep to (its walk of the part tree overflows the stack)', async () => {
    expect(await failureCode(async () => resolveMailLimits({ maxMimeParts: 5_000 }))).toBe('mail.invalidLimits');
  });

  it('refuses limits that are not positive whole numbers, naming them', () => {
    let problems: unknown;
    try {
      resolveMailLimits({ maxRawBytes: -1, maxTextChars: 1.5 });
    } catch (error) {
      if (isAtendeError(error, 'mail.invalidLimits')) problems = error.details['problems'];
    }

    expect(problems).toEqual([expect.stringMatching(/^maxRawBytes: /), expect.stringMatching(/^maxTextChars: /)]);
  });

  it('calls an empty message unparseable', async () => {
    expect(await failureCode(() => parseInboundMail(Buffer.from('\r\n  \r\n')))).toBe('mail.unparseable');
  });

  it('converts deeply nested HTML without exhausting the stack', async () => {
    const raw = rawMail(
      ['From: a@example.net', 'Content-Type: text/html'],
      `${'<div>'.repeat(50_000)}deep${'</div>'.repeat(50_000)}`,
    );

    const mail = await parseInboundMail(raw);

    expect(mail.textSource).not.toBe('plain');
  });

  it('fails with nothing but an AtendeError, whatever the bytes', async () => {
    const header = fc.constantFrom(
      'From: a@example.net\r\n',
      'Content-Type: multipart/mixed; boundary=x\r\n',
      'From \r',
      '\r\n',
      '',
    );
    await fc.assert(
      fc.asyncProperty(header, fc.uint8Array({ maxLength: 2_000 }), async (start, bytes) => {
        const raw = Buffer.concat([Buffer.from(start, 'latin1'), Buffer.from(bytes)]);
        try {
          await parseInboundMail(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(AtendeError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
