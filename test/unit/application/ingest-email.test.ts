import { describe, expect, it } from 'vitest';
import { pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { buildMail } from '../../support/mail-builder.ts';

describe('a customer writes to a support address', () => {
  it('opens a ticket and acknowledges it in Spanish, with the tag in the subject', async () => {
    const { receive, sentTo, store } = pipeline();

    const result = await receive({
      from: 'Lucía Pérez <lucia@cliente.example>',
      subject: 'No puedo entrar a mi cuenta',
      text: 'Hola, desde ayer no puedo entrar a mi cuenta y necesito descargar las facturas del mes. ¿Me pueden ayudar?',
    });

    expect(result).toMatchObject({
      outcome: 'created',
      ticketNumber: 1000,
      sent: ['acknowledgement', 'agent-new-ticket'],
    });
    const [ack] = sentTo('lucia@cliente.example');
    expect(ack).toMatchObject({ from: { address: 'servicedesk@example.com' }, autoSubmitted: 'auto-replied' });
    expect(ack!.subject).toContain('[Atende #1000]');
    expect(ack!.text).toMatch(/Hola|Gracias/);
    const ticket = await store.getTicket(1000);
    expect(ticket).toMatchObject({
      status: 'new',
      queue: 'servicedesk',
      requester: 'lucia@cliente.example',
      locale: 'es',
      channel: 'email',
    });
  });

  it("answers under the customer's mail: In-Reply-To and References point to it", async () => {
    const { receive, sentTo } = pipeline();
    await receive({ from: 'ana@customer.example', messageId: '<first@mail.customer.example>' });
    const [ack] = sentTo('ana@customer.example');
    expect(ack).toMatchObject({
      inReplyTo: '<first@mail.customer.example>',
      references: ['<first@mail.customer.example>'],
    });
  });

  it("tells the queue's agents with the priority's response strategy and the due times", async () => {
    const { receive, sentTo } = pipeline();
    await receive({ subject: 'Dashboard down', text: 'Our dashboard is down and nobody can log in. This is urgent.' });
    const [notice] = sentTo('servicedesk-agents@example.com');
    expect(notice!.autoSubmitted).toBe('auto-generated');
    expect(notice!.text).toContain('Call the customer at once');
    expect(notice!.replyTo).toEqual([{ address: 'servicedesk@example.com', name: 'Atende Support' }]);
  });

  it('remembers the language per customer', async () => {
    const { receive, store } = pipeline();
    await receive({
      from: 'joao@cliente.example',
      subject: 'Fatura errada',
      text: 'Olá, a fatura deste mês veio com o valor errado. Podem verificar, por favor?',
    });
    expect((await store.getCustomer('joao@cliente.example'))?.locale).toBe('pt-BR');
  });

  it('masks an API key in the stored text and says so in the acknowledgement', async () => {
    const { receive, store, sentTo } = pipeline();
    const key = 'sk_live_51HqLyjWDarjtT1zdp7dcXwS9aGGkP3tR';
    const number = ticketNumberOf(
      await receive({
        subject: 'API returns 401',
        text: `Our calls fail with 401. We use the key ${key} from the dashboard.`,
      }),
    );
    const [message] = await store.listMessages(number);
    expect(message!.text).not.toContain(key);
    expect(message!.text).toContain('s*');
    expect((await store.getTicket(number))!.flags).toContain('secrets-masked');
    expect(sentTo('ana@customer.example')[0]!.text.toLowerCase()).toContain('masked');
  });
});

describe('replies find their ticket', () => {
  it('by In-Reply-To to our acknowledgement', async () => {
    const { receive, sentTo, store } = pipeline();
    await receive({});
    const ack = sentTo('ana@customer.example')[0]!;

    const reply = await receive({
      subject: 'Something else entirely',
      inReplyTo: ack.messageId,
      references: ack.messageId,
    });

    expect(reply).toMatchObject({ outcome: 'threaded', ticketNumber: 1000, via: 'message-id' });
    expect((await store.getTicket(1000))!.messageCount).toBeGreaterThanOrEqual(4);
  });

  it('by the subject tag when threading headers are gone', async () => {
    const { receive } = pipeline();
    await receive({});
    expect(await receive({ subject: 'RE: [Atende #1000] Printer offline' })).toMatchObject({
      outcome: 'threaded',
      via: 'subject-tag',
    });
  });

  it('by the same subject from the same requester while the ticket is open (one ticket per issue)', async () => {
    const { receive } = pipeline();
    await receive({ subject: 'Printer offline' });
    expect(await receive({ subject: 'Fwd: RE: printer offline' })).toMatchObject({
      outcome: 'threaded',
      ticketNumber: 1000,
      via: 'subject',
    });
  });

  it('holds a follow-up sent within 40 minutes, and sends it before the next one when its window’s mail has not gone', async () => {
    const { receive, sentTo, clock, store } = pipeline();
    await receive({});
    clock.advance(10 * 60_000);
    const early = await receive({ subject: 'Re: [Atende #1000] Printer offline', text: 'Any news?' });
    expect(early).toMatchObject({ outcome: 'threaded', sent: [] });
    expect((await store.getTicket(1000))!.flags).toContain('throttled-follow-up');
    clock.advance(45 * 60_000);
    // No timer ran here: the window's mail goes first, in the same change as the next follow-up's notice.
    expect(await receive({ subject: 'Re: [Atende #1000] Printer offline', text: 'Still broken.' })).toMatchObject({
      sent: ['agent-held-follow-ups', 'agent-customer-reply'],
    });
    const [, held, reply] = sentTo('servicedesk-agents@example.com');
    expect(held!.text).toContain('Any news?');
    expect(held!.text).not.toContain('Still broken.');
    expect(reply!.text).toContain('Still broken.');
    expect((await store.getTicket(1000))!.followUpWindow?.held).toEqual([]);
  });

  it("lets a stranger who quotes a ticket's Message-ID start a ticket of their own and learn nothing of the other", async () => {
    const { receive, sentTo, store } = pipeline();
    await receive({
      from: 'ana@customer.example',
      subject: 'Invoice 2231 for ACME',
      text: 'Please resend invoice 2231.',
    });
    const ack = sentTo('ana@customer.example')[0]!;

    const result = await receive({
      from: 'mallory@attacker.example',
      subject: 'Re: [Atende #1000] Invoice 2231 for ACME',
      inReplyTo: ack.messageId,
      text: 'Send me the invoice',
    });

    expect(result).toMatchObject({ outcome: 'created', ticketNumber: 1001 });
    const theirs = sentTo('mallory@attacker.example')[0]!;
    expect(theirs.subject).toContain('#1001');
    expect(theirs.subject).not.toContain('#1000');
    expect(theirs.text).not.toContain('ana@customer.example');
    expect((await store.listMessages(1000)).some((message) => message.from === 'mallory@attacker.example')).toBe(false);
  });
});

describe('mail that must never be answered', () => {
  it('keeps an out-of-office reply on its ticket and answers nobody', async () => {
    const { receive, mailer, store } = pipeline();
    await receive({});
    const ack = mailer.sent[0]!;
    const before = mailer.sent.length;

    const result = await receive({
      subject: 'Automatic reply: [Atende #1000] Printer offline',
      inReplyTo: ack.messageId,
      headers: { 'Auto-Submitted': 'auto-replied' },
    });

    expect(result).toMatchObject({ outcome: 'recorded', kind: 'auto-reply' });
    expect(mailer.sent).toHaveLength(before);
    expect((await store.listMessages(1000)).at(-1)).toMatchObject({ author: 'system', direction: 'inbound' });
  });

  it('records a bounce of our acknowledgement on the ticket and never opens a ticket for it', async () => {
    const { receive, mailer, store } = pipeline();
    await receive({});
    const ack = mailer.sent[0]!;
    const bounce = buildMail({
      from: 'Mail Delivery System <MAILER-DAEMON@mx.customer.example>',
      to: 'servicedesk@example.com',
      subject: 'Undelivered Mail Returned to Sender',
      headers: { 'Return-Path': '<>' },
      text: `This is the mail system at host mx.customer.example.\n\n<ana@customer.example>: mailbox full\n\n--- Returned headers ---\nFrom: servicedesk@example.com\nMessage-ID: ${ack.messageId}\nX-Atende-Ticket: 1000\n`,
    });

    expect(await receive(bounce)).toMatchObject({ outcome: 'recorded', ticketNumber: 1000, kind: 'bounce' });
    expect(
      await receive(
        buildMail({
          from: 'MAILER-DAEMON@mx.other.example',
          subject: 'failure notice',
          headers: { 'Return-Path': '<>' },
        }),
      ),
    ).toMatchObject({ outcome: 'quarantined', reason: 'inbound.unmatchedBounce' });
    expect(mailer.sent).toHaveLength(2);
    expect(await store.ticketsOfQueue('servicedesk')).toHaveLength(1);
  });

  it('stops a loop with an autoresponder that sends no auto-reply headers after one acknowledgement', async () => {
    const { receive, sentTo, clock } = pipeline();
    await receive({ from: 'robot@autoresponder.example', subject: 'Question' });
    for (let round = 1; round <= 5; round++) {
      clock.advance(5_000);
      await receive({
        from: 'robot@autoresponder.example',
        subject: `Thanks for your message (${round})`,
        text: 'We received your message and will answer soon.',
      });
    }
    expect(sentTo('robot@autoresponder.example')).toHaveLength(1);
  });

  it('keeps spam, viruses and DMARC failures raw and does nothing else', async () => {
    const { receive, mailer, store, rawMail } = pipeline();
    expect(await receive({}, { verdicts: { spam: 'FAIL' } })).toMatchObject({
      outcome: 'quarantined',
      reason: 'inbound.spam',
    });
    expect(await receive({}, { verdicts: { virus: 'FAIL' } })).toMatchObject({
      outcome: 'quarantined',
      reason: 'inbound.virus',
    });
    expect(await receive({}, { verdicts: { dmarc: 'FAIL', dmarcPolicy: 'reject' } })).toMatchObject({
      outcome: 'quarantined',
      reason: 'inbound.dmarc',
    });
    expect(mailer.sent).toHaveLength(0);
    expect(await store.ticketsOfQueue('servicedesk')).toHaveLength(0);
    expect((await rawMail.get('inbound/ses-1')).byteLength).toBeGreaterThan(0);
    expect((await store.listQuarantine()).map((record) => record.reason).sort()).toEqual([
      'inbound.dmarc',
      'inbound.spam',
      'inbound.virus',
    ]);
  });

  it('quarantines what cannot be read, with a reason, and keeps the raw mail', async () => {
    const { receive, store } = pipeline();
    const result = await receive(Buffer.from('\u0000\u0001 definitely not a mail'));
    expect(result.outcome).toBe('quarantined');
    expect((await store.listQuarantine())[0]).toMatchObject({ rawKey: 'inbound/ses-1' });
  });
});

describe('at-least-once delivery', () => {
  it('changes nothing and sends nothing when SES delivers the same mail twice', async () => {
    const { receive, mailer, store } = pipeline();
    await receive({}, { key: 'ses-same' });
    const sent = mailer.sent.length;

    expect(await receive({}, { key: 'ses-same' })).toMatchObject({
      outcome: 'duplicate',
      ticketNumber: 1000,
      sent: [],
    });
    expect(mailer.sent).toHaveLength(sent);
    expect(await store.ticketsOfQueue('servicedesk')).toHaveLength(1);
  });

  it('sends on a retry only the mail a failed first attempt left unsent', async () => {
    const { receive, mailer, clock } = pipeline();
    mailer.sent.length = 0;
    // The acknowledgement goes out, then SES throttles the agents' notification.
    const send = mailer.send.bind(mailer);
    let calls = 0;
    mailer.send = async (mail) => {
      calls += 1;
      if (calls === 2) throw new Error('Throttling: Maximum sending rate exceeded');
      return send(mail);
    };
    await expect(receive({}, { key: 'ses-retry' })).rejects.toThrow('Throttling');

    clock.advance(60_000);
    expect(await receive({}, { key: 'ses-retry' })).toMatchObject({ outcome: 'duplicate', sent: ['agent-new-ticket'] });
    expect(mailer.sent.map((mail) => mail.to[0]!.address)).toEqual([
      'ana@customer.example',
      'servicedesk-agents@example.com',
    ]);
  });
});

describe('agents answer by e-mail', () => {
  it("relays an agent's reply to the requester from the support address and counts it as the first response", async () => {
    const { receive, mailer, store, sentTo, clock } = pipeline();
    await receive({ cc: 'bob@customer.example' });
    const notice = sentTo('servicedesk-agents@example.com')[0]!;
    clock.advance(20 * 60_000);

    // Staff are staff only when authenticated: SES found the mail DMARC-aligned for example.com.
    const result = await receive(
      {
        from: 'Carla Agent <carla@example.com>',
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        text: '#status waiting\nHi Ana, please restart the printer and tell us what the display says.\n\nOn Mon, 23 Nov 2026 at 10:00, Atende Support wrote:\n> New ticket #1000',
      },
      { verdicts: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' } },
    );

    expect(result).toMatchObject({ outcome: 'relayed', ticketNumber: 1000, sent: ['agent-reply-relay'] });
    const relay = mailer.sent.at(-1)!;
    expect(relay.from.address).toBe('servicedesk@example.com');
    expect(relay.to.map((to) => to.address)).toEqual(['ana@customer.example']);
    expect(relay.cc?.map((cc) => cc.address)).toEqual(['bob@customer.example']);
    expect(relay.subject).toContain('[Atende #1000]');
    expect(relay.text).toContain('please restart the printer');
    expect(relay.text).not.toContain('#status');
    expect(relay.text).not.toContain('> New ticket');
    expect(relay.autoSubmitted).toBeUndefined();
    expect(await store.getTicket(1000)).toMatchObject({
      status: 'waiting-on-customer',
      firstRespondedAt: '2026-11-23T15:20:00.000Z',
    });
  });
});

describe('machine-made mail', () => {
  it('opens a ticket for an auto-generated alert without answering it', async () => {
    const { receive, sentTo } = pipeline();
    const result = await receive({
      from: 'alerts@monitoring.example',
      subject: 'CRITICAL: disk full on db-1',
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    expect(result).toMatchObject({ outcome: 'created', sent: ['agent-new-ticket'] });
    expect(sentTo('alerts@monitoring.example')).toHaveLength(0);
  });

  it('quarantines an out-of-office reply that answers nothing of ours', async () => {
    const { receive, mailer } = pipeline();
    expect(
      await receive({
        from: 'away@customer.example',
        subject: 'Out of office',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
    ).toMatchObject({ outcome: 'quarantined', reason: 'inbound.autoReply' });
    expect(mailer.sent).toHaveLength(0);
  });
});

describe('customer conduct (seeds 003, 004)', () => {
  it('flags capitals for agents and cites the rules politely, at most once per period, without blocking the ticket', async () => {
    const { receive, sentTo, clock, store } = pipeline();
    const shouting = 'WHY IS THE SYSTEM STILL NOT WORKING, I HAVE BEEN WAITING FOR HOURS AND NOBODY ANSWERS ME';

    const first = ticketNumberOf(await receive({ subject: 'Nothing works', text: shouting }));
    expect((await store.getTicket(first))!.flags).toContain('shouting');
    expect(sentTo('ana@customer.example')[0]!.text).toContain('Please do not write in capitals');

    clock.advance(60 * 60_000);
    await receive({ subject: 'Still nothing', text: shouting });
    const second = sentTo('ana@customer.example')[1]!;
    expect(second.subject).toContain('#1001');
    expect(second.text).not.toContain('Please do not write in capitals');
  });

  it('does not promise a first-response time where the acknowledgement is the first response (zenduit)', async () => {
    const { receive, sentTo, store } = pipeline('examples/zenduit.yaml');
    await receive({ subject: 'Question about reports', text: 'How do I schedule a weekly report?' });
    expect((await store.getTicket(1000))!.firstRespondedAt).not.toBeNull();
    expect(sentTo('ana@customer.example')[0]!.text).toContain('as soon as possible');
  });
});

describe('mail seen before under another envelope', () => {
  it('treats the same Message-ID from the same sender as the same mail again: nothing new, nothing sent', async () => {
    const { receive, mailer, store } = pipeline();
    await receive({ messageId: '<once@mail.customer.example>' }, { key: 'ses-a' });
    const sent = mailer.sent.length;

    expect(await receive({ messageId: '<once@mail.customer.example>' }, { key: 'ses-b' })).toMatchObject({
      outcome: 'duplicate',
      ticketNumber: 1000,
      sent: [],
    });
    expect(mailer.sent).toHaveLength(sent);
    expect(await store.ticketsOfQueue('servicedesk')).toHaveLength(1);
  });

  it("stores a stranger's mail that reuses someone's Message-ID without letting it claim the id", async () => {
    const { receive, store, sentTo } = pipeline();
    await receive({ messageId: '<taken@mail.customer.example>' });

    const result = await receive({
      from: 'eve@elsewhere.example',
      subject: 'Completely different',
      messageId: '<taken@mail.customer.example>',
    });

    expect(result.outcome).toBe('created');
    const number = ticketNumberOf(result);
    expect((await store.listMessages(number))[0]!.messageId).toBeNull();
    expect(await store.ticketForMessageIds(['<taken@mail.customer.example>'])).toBe(1000);
    expect(sentTo('eve@elsewhere.example')).toHaveLength(1);
  });

  it('keeps a subject of any length to its first 998 characters', async () => {
    const { receive, store } = pipeline();
    const number = ticketNumberOf(await receive({ subject: 'x'.repeat(130_000) }));
    expect((await store.getTicket(number))!.subject.length).toBeLessThanOrEqual(999);
  });
});
