import { describe, expect, it } from 'vitest';
import {
  asksNotToBeAutoAnswered,
  type ClassificationContext,
  classifyInboundMail,
  isNoReplyAddress,
} from '../../../lib/domain/mail/mail-classification.ts';
import { parseInboundMail } from '../../../lib/domain/mail/parse-inbound-mail.ts';
import { mailFixture, rawMail } from './mail-fixtures.ts';

const context: ClassificationContext = { ownAddresses: ['servicedesk@example.com', 'Suporte@Example.com'] };

const classifyRaw = async (raw: Buffer, given: ClassificationContext = context) =>
  classifyInboundMail(await parseInboundMail(raw), given);
const classifyHeaders = (headers: readonly string[], given?: ClassificationContext) =>
  classifyRaw(rawMail(['From: Carla Mendes <carla@cliente.com.br>', 'To: servicedesk@example.com', ...headers]), given);

describe('classifying inbound mail', () => {
  it('answers an ordinary customer message', async () => {
    const result = await classifyHeaders(['Subject: Não consigo acessar o painel']);

    expect(result.kind).toBe('customer');
  });

  it.each([
    ['a Spanish out-of-office reply (Auto-Submitted)', 'es-out-of-office.eml'],
    ['a Portuguese auto-reply (X-Autoreply, Precedence: auto_reply)', 'pt-br-auto-reply.eml'],
    ['an Exchange out-of-office reply', 'exchange-oof.eml'],
    ['an autoresponder that sets no header, by its subject', 'headerless-autoresponder.eml'],
  ])('does not answer %s', async (_what, fixture) => {
    const result = await classifyRaw(mailFixture(fixture));

    expect(result.kind).toBe('auto-reply');
  });

  it('recognises a bounce from SES and says why', async () => {
    const result = await classifyRaw(mailFixture('ses-bounce.eml'));

    expect(result).toEqual({ kind: 'bounce', reason: expect.stringContaining('delivery-status') });
  });

  it('calls a bounce a bounce even when it also says Auto-Submitted: auto-replied', async () => {
    const result = await classifyRaw(
      rawMail([
        'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)',
        'Subject: Undelivered Mail Returned to Sender',
        'Auto-Submitted: auto-replied',
      ]),
    );

    expect(result.kind).toBe('bounce');
  });

  it.each([
    ['Auto-Submitted: auto-generated', 'auto-reply'],
    ['Auto-Submitted: auto-replied (vacation)', 'auto-reply'],
    ['X-Autorespond: yes', 'auto-reply'],
    ['X-Auto-Response-Suppress: OOF, AutoReply', 'auto-reply'],
    ['X-MS-Exchange-Inbox-Rules-Loop: carla@cliente.com.br', 'auto-reply'],
    ['X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent', 'auto-reply'],
    ['Precedence: auto_reply', 'auto-reply'],
    ['Content-Type: multipart/report; report-type=disposition-notification; boundary=x', 'auto-reply'],
    ['Content-Type: multipart/report; report-type=delivery-status; boundary=x', 'bounce'],
    ['X-Failed-Recipients: someone@example.org', 'bounce'],
    ['Return-Path: <>', 'bounce'],
    ['List-Id: Users of Atende <users.lists.example.org>', 'mailing-list'],
    ['Precedence: bulk', 'mailing-list'],
    ['Return-Path: <owner-users@lists.example.org>', 'mailing-list'],
    ['Sender: owner-users@lists.example.org', 'mailing-list'],
    ['Sender: "Users" <users-request@lists.example.org>', 'mailing-list'],
    ['Sender: users-bounces@lists.example.org', 'mailing-list'],
    ['Sender: Ana <ana-requests@example.org>', 'customer'],
    [`X-Atende-Ticket: 1042`, 'own-mail'],
  ])('classifies a message with "%s" as %s', async (header, kind) => {
    const result = await classifyHeaders([header, 'Subject: Re: pedido']);

    expect(result.kind).toBe(kind);
  });

  it('answers a message that says Auto-Submitted: no (RFC 3834 §5)', async () => {
    const result = await classifyHeaders(['Auto-Submitted: no', 'Subject: pedido']);

    expect(result.kind).toBe('customer');
  });

  it('answers a message with List-Unsubscribe only: transactional senders add it too', async () => {
    const result = await classifyHeaders(['List-Unsubscribe: <mailto:unsubscribe@cliente.com.br>', 'Subject: pedido']);

    expect(result.kind).toBe('customer');
  });

  it.each([
    ['Automatic reply: [Atende #1042] Reports'],
    ['Auto-Reply: Re: pedido'],
    ['Out of Office AutoReply: Invoice'],
    ['Respuesta automática: Consulta'],
    ['Resposta automática: Sistema fora do ar'],
    ['Réponse automatique : Facture'],
    ['Abwesenheitsnotiz: Rechnung'],
    ['Автоответ: Счёт'],
    ['John Smith is out of the office.'],
  ])('does not answer the auto-reply subject "%s"', async (subject) => {
    const result = await classifyRaw(rawMail(['From: someone@example.net', `Subject: ${subject}`]));

    expect(result.kind).toBe('auto-reply');
  });

  it.each([
    ['How do I set up an auto-reply?'],
    ['Out of office replies are not sent'],
    ['Fwd: Undelivered Mail Returned to Sender'],
    ['Re: Delivery Status Notification (Failure)'],
    ['The delivery failed for order 4500123456'],
  ])('answers the customer subject "%s"', async (subject) => {
    const result = await classifyRaw(rawMail(['From: someone@example.net', `Subject: ${subject}`]));

    expect(result.kind).toBe('customer');
  });

  it.each([
    ['Undelivered Mail Returned to Sender'],
    ['Delivery Status Notification (Delay)'],
    ['failure notice'],
    ['Mail delivery failed: returning message to sender'],
    ['Returned mail: see transcript for details'],
    ['Undeliverable: Consulta'],
    ['Warning: could not send message for past 4 hours'],
    ['Недоставленное сообщение'],
  ])('does not answer the non-delivery subject "%s"', async (subject) => {
    const result = await classifyRaw(rawMail(['From: someone@example.net', `Subject: ${subject}`]));

    expect(result.kind).toBe('bounce');
  });

  it.each([
    ['MAILER-DAEMON@mx.example.net'],
    ['postmaster@example.net'],
    ['"Mail Delivery Subsystem" <mailer-daemon@googlemail.com>'],
  ])('does not answer the delivery system %s', async (from) => {
    const result = await classifyRaw(rawMail([`From: ${from}`, 'Subject: Test']));

    expect(result.kind).toBe('bounce');
  });

  it('recognises mail from its own support addresses, in any case', async () => {
    const result = await classifyRaw(
      rawMail(['From: suporte@EXAMPLE.com', 'Subject: [Atende #7] Recebemos sua solicitação']),
    );

    expect(result).toEqual({ kind: 'own-mail', reason: expect.stringContaining('suporte@example.com') });
  });

  it('recognises its own Message-ID domain when one is given', async () => {
    const result = await classifyHeaders(['Message-ID: <t1042.m3@mail.atende.example>'], {
      ...context,
      ownMessageIdDomain: 'mail.atende.example',
    });

    expect(result.kind).toBe('own-mail');
  });

  it('treats a null envelope sender reported by SES as a bounce', async () => {
    const result = await classifyHeaders(['Subject: pedido'], { ...context, envelopeSender: '' });

    expect(result.kind).toBe('bounce');
  });
});

describe('the reason given', () => {
  it('quotes header values without control characters, and at most 200 characters of them (regression: a CR reached a quarantine record)', async () => {
    const result = await classifyHeaders([
      `Precedence: bulk\rAuto-Submitted: auto-generated\x1b[2J${'x'.repeat(5_000)}`,
    ]);

    expect(result.kind).toBe('mailing-list');
    expect(result.reason).toMatch(/^Precedence: bulk ?Auto-Submitted: auto-generated\[2Jx+/);
    expect(result.reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(result.reason.length).toBeLessThanOrEqual(200);
  });
});

describe('senders that ask not to be answered', () => {
  it.each([
    ['no-reply@shop.example', true],
    ['noreply@github.com', true],
    ['do-not-reply@bank.example', true],
    ['donotreply@bank.example', true],
    ['no_reply@x.example', true],
    ['noreply+abc@x.example', true],
    ['bounces+123@sendgrid.net', true],
    ['mailer-daemon@mx.example', true],
    ['postmaster', true],
    ['', true],
    ['nora.reply@cliente.com.br', false],
    ['reply@cliente.com.br', false],
    ['noelia@cliente.es', false],
  ])('says %s asks not to be answered: %s', (address, expected) => {
    expect(isNoReplyAddress(address)).toBe(expected);
  });

  it('answers a no-reply notification whose Reply-To names a person', async () => {
    const mail = await parseInboundMail(
      rawMail(['From: Formulário <no-reply@loja.example>', 'Reply-To: ana@cliente.com.br', 'Subject: Novo contato']),
    );

    expect(asksNotToBeAutoAnswered(mail)).toBe(false);
  });

  it('does not answer a no-reply sender without Reply-To', async () => {
    const mail = await parseInboundMail(rawMail(['From: Loja <noreply@loja.example>', 'Subject: Seu pedido']));

    expect(asksNotToBeAutoAnswered(mail)).toBe(true);
  });
});
