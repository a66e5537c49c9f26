import { describe, expect, it } from 'vitest';
import { renderTicket, renderTicketTable } from '../../../lib/cli/commands/local-stack-commands.ts';
import { AUTHENTICATED, FORGED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';

/** A ticket from Ana with Bob in Cc, and the agents' notification an agent would answer. */
async function ticketWithNotification(options: Parameters<typeof pipeline>[1] = {}) {
  const setup = pipeline('default.yaml', options);
  const number = ticketNumberOf(await setup.receive({ cc: 'bob@customer.example', subject: 'Printer offline' }));
  const notice = setup.sentTo('servicedesk-agents@example.com')[0]!;
  setup.mailer.sent.length = 0;
  const agentReply = (text = '#status waiting\nPlease restart the printer.') => ({
    from: 'Carla Agent <carla@example.com>',
    subject: `Re: ${notice.subject}`,
    inReplyTo: notice.messageId,
    text,
  });
  return { ...setup, number, notice, agentReply };
}

describe('staff are authenticated, not just named', () => {
  it.each([
    ['no verdict at all (the local listener without AUTH)', {}],
    ['SPF, DKIM and DMARC all failing, the domain asking for nothing', FORGED],
    ['DKIM passing for a domain that is not the From domain', { dkim: 'PASS', dkimDomains: ['attacker.example'] }],
    ['SPF passing alone (the envelope domain is not the From domain)', { spf: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' }],
  ])(
    'does not relay a staff From with %s, changes nothing, keeps it flagged and tells the agents',
    async (_, verdicts) => {
      const { receive, mailer, store, number, agentReply } = await ticketWithNotification();
      const before = await store.getTicket(number);

      const result = await receive(agentReply(), { verdicts });

      expect(result).toMatchObject({ outcome: 'recorded', kind: 'unauthenticated-staff', ticketNumber: number });
      expect(mailer.sent.flatMap((mail) => [...mail.to, ...(mail.cc ?? [])].map((to) => to.address))).toEqual([
        'servicedesk-agents@example.com',
      ]);
      const after = await store.getTicket(number);
      expect(after).toMatchObject({ status: before!.status, firstRespondedAt: before!.firstRespondedAt });
      expect(after!.flags).toContain('unauthenticated-staff');
      expect((await store.listMessages(number)).at(-2)).toMatchObject({
        purpose: 'unauthenticated-staff',
        author: 'unverified',
        from: 'carla@example.com',
      });
    },
  );

  it.each([
    ['DMARC passing', AUTHENTICATED],
    [
      'DKIM passing for the From domain where the domain publishes no DMARC',
      { dkim: 'PASS', dmarc: 'GRAY', dkimDomains: ['example.com'] },
    ],
    ['DKIM passing for a subdomain of the From domain', { dkim: 'PASS', dkimDomains: ['mail.example.com'] }],
  ])('relays a staff reply with %s', async (_, verdicts) => {
    const { receive, store, number, agentReply } = await ticketWithNotification();

    expect(await receive(agentReply(), { verdicts })).toMatchObject({ outcome: 'relayed', ticketNumber: number });
    expect((await store.getTicket(number))!.status).toBe('waiting-on-customer');
  });

  it('relays a reply submitted with SMTP AUTH by the From address itself, and not one submitted by someone else', async () => {
    const { receive, number, agentReply } = await ticketWithNotification();

    expect(await receive(agentReply(), { submittedBy: 'carla@example.com' })).toMatchObject({ outcome: 'relayed' });
    expect(await receive(agentReply('Another word.'), { submittedBy: 'mallory@example.com' })).toMatchObject({
      outcome: 'recorded',
      kind: 'unauthenticated-staff',
      ticketNumber: number,
    });
  });

  it('never relays our own mail coming back, even DMARC-aligned: our acknowledgement forwarded to us', async () => {
    const { receive, mailer, number } = await ticketWithNotification();

    const result = await receive(
      {
        from: 'Atende Support <servicedesk@example.com>',
        subject: `Re: [Atende #${number}] Printer offline`,
        headers: { 'X-Atende-Ticket': String(number) },
      },
      { verdicts: AUTHENTICATED },
    );

    expect(result).toMatchObject({ outcome: 'quarantined', reason: 'inbound.ownMail' });
    expect(mailer.sent).toHaveLength(0);
  });

  it("treats mail from a queue's agents address as our own: it never opens a ticket nor notifies the list", async () => {
    const { receive, mailer, store } = pipeline();

    const result = await receive({ from: 'servicedesk-agents@example.com', subject: 'Fwd: New ticket' });

    expect(result).toMatchObject({ outcome: 'quarantined', reason: 'inbound.ownMail' });
    expect(mailer.sent).toHaveLength(0);
    expect(await store.ticketsOfQueue('servicedesk')).toHaveLength(0);
  });
});

describe('mail that fails authentication may add text, nothing else', () => {
  it('keeps a forged requester reply flagged, adds no participant and leaves the status as it was', async () => {
    const { receive, store, number, agentReply, sentTo } = await ticketWithNotification();
    await receive(agentReply(), { verdicts: AUTHENTICATED });
    expect((await store.getTicket(number))!.status).toBe('waiting-on-customer');

    const result = await receive(
      { from: 'ana@customer.example', cc: 'eve@attacker.example', subject: `Re: [Atende #${number}] Printer offline` },
      { verdicts: FORGED },
    );

    expect(result).toMatchObject({ outcome: 'threaded', ticketNumber: number });
    const ticket = (await store.getTicket(number))!;
    expect(ticket).toMatchObject({ status: 'waiting-on-customer', participants: ['bob@customer.example'] });
    expect(ticket.flags).toContain('unauthenticated-sender');
    expect(
      (await store.listMessages(number)).find((message) => message.cc.includes('eve@attacker.example')),
    ).toMatchObject({
      declinedParticipants: [{ address: 'eve@attacker.example', reason: 'unauthenticated' }],
    });
    await receive(agentReply('Next step: update the driver.'), { verdicts: AUTHENTICATED });
    expect(sentTo('eve@attacker.example')).toHaveLength(0);
  });

  it('opens a ticket for a new mail that fails SPF and DKIM, without answering a From that may not be theirs', async () => {
    const { receive, sentTo, store } = pipeline();

    const result = await receive({ from: 'ceo@bank.example', cc: 'eve@attacker.example' }, { verdicts: FORGED });

    expect(result).toMatchObject({ outcome: 'created', sent: ['agent-new-ticket'] });
    expect(sentTo('ceo@bank.example')).toHaveLength(0);
    const ticket = (await store.getTicket(ticketNumberOf(result)))!;
    expect(ticket.participants).toEqual([]);
    expect(ticket.flags).toContain('unauthenticated-sender');
  });
});

describe('recipients are bounded', () => {
  const many = Array.from({ length: 500 }, (_, index) => `person${index}@many.example`).join(', ');

  it('makes at most participants.max participants of 500 Cc, acknowledges the requester alone, and records the rest', async () => {
    const { receive, store, mailer, policy } = pipeline();

    const number = ticketNumberOf(await receive({ cc: many }));

    const ticket = (await store.getTicket(number))!;
    expect(ticket.participants).toHaveLength(policy.participants.max);
    const [first] = await store.listMessages(number);
    expect(first!.declinedParticipants).toHaveLength(500 - policy.participants.max);
    expect(first!.declinedParticipants.every((declined) => declined.reason === 'limit')).toBe(true);
    const acknowledgement = mailer.sent.find((mail) => mail.to[0]!.address === 'ana@customer.example')!;
    expect(acknowledgement.cc ?? []).toEqual([]);
  });

  it('never sends a mail with more than participants.max + 1 recipients', async () => {
    const { receive, mailer, policy, sentTo } = pipeline();
    await receive({ cc: many });
    const notice = sentTo('servicedesk-agents@example.com')[0]!;
    await receive(
      { from: 'carla@example.com', subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text: 'On it.' },
      { verdicts: AUTHENTICATED },
    );

    const sizes = mailer.sent.map((mail) => mail.to.length + (mail.cc ?? []).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(policy.participants.max + 1);
    expect(mailer.sent.at(-1)!.cc).toHaveLength(policy.participants.max);
  });

  it('declines an address atende cannot send to and still sends every mail of the ticket', async () => {
    const { receive, store, sentTo, mailer } = pipeline();

    const number = ticketNumberOf(await receive({ cc: '"john doe"@customer.example, bob@customer.example' }));
    const notice = sentTo('servicedesk-agents@example.com')[0]!;
    const relay = await receive(
      { from: 'carla@example.com', subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text: 'On it.' },
      { verdicts: AUTHENTICATED },
    );

    expect((await store.getTicket(number))!.participants).toEqual(['bob@customer.example']);
    expect((await store.listMessages(number))[0]!.declinedParticipants).toEqual([
      { address: '"john doe"@customer.example', reason: 'unmailable' },
    ]);
    expect(relay).toMatchObject({ outcome: 'relayed', sent: ['agent-reply-relay'] });
    expect(mailer.sent.at(-1)!.cc?.map((cc) => cc.address)).toEqual(['bob@customer.example']);
  });

  it('keeps our own addresses out of participants', async () => {
    const { receive, store } = pipeline();

    const number = ticketNumberOf(await receive({ cc: 'installteam@example.com, installteam-agents@example.com' }));

    expect((await store.getTicket(number))!.participants).toEqual([]);
    // The agents' list is worth a note to agents; another support address is simply where the mail also went.
    expect((await store.listMessages(number))[0]!.declinedParticipants).toEqual([
      { address: 'installteam-agents@example.com', reason: 'own-address' },
    ]);
  });
});

describe('what is stored and shown', () => {
  it('masks a secret in the subject everywhere: the ticket, its message and the agents’ notification', async () => {
    const { receive, store, sentTo } = pipeline();
    const key = 'sk_live_51HqLyjWDarjtT1zdp7dcXwS9aGGkP3tR';

    const number = ticketNumberOf(await receive({ subject: `API key ${key} stopped working`, text: 'See subject.' }));

    expect((await store.getTicket(number))!.subject).not.toContain(key);
    expect((await store.listMessages(number))[0]!.subject).not.toContain(key);
    const notice = sentTo('servicedesk-agents@example.com')[0]!;
    expect(`${notice.subject}\n${notice.text}\n${notice.html}`).not.toContain(key);
    expect((await store.getTicket(number))!.flags).toContain('secrets-masked');
  });

  it('masks a password in the subject wherever the subject is shown: stored, mailed, relayed and in the CLI', async () => {
    const { receive, store, sentTo, mailer } = pipeline();
    const password = 'Sup3rS3cret!';

    const number = ticketNumberOf(
      await receive({ subject: `Login fails at https://admin:${password}@panel.example.com`, text: 'See subject.' }),
    );
    const notice = sentTo('servicedesk-agents@example.com')[0]!;
    const relayed = await receive(
      {
        from: 'carla@example.com',
        subject: `Re: ${notice.subject} (now https://root:${password}@panel.example.com)`,
        inReplyTo: notice.messageId,
        text: 'Changed it for you.',
      },
      { verdicts: AUTHENTICATED },
    );

    expect(relayed.outcome).toBe('relayed');
    const ticket = (await store.getTicket(number))!;
    const messages = await store.listMessages(number);
    expect(ticket.subject).toBe('Login fails at https://admin:S**********!@panel.example.com');
    expect(mailer.sent.map((mail) => mail.subject)).toHaveLength(3); // acknowledgement, agents' notice, relay
    const shown = [
      ...messages.flatMap((message) => [message.subject, message.text]),
      ...mailer.sent.flatMap((mail) => [mail.subject, mail.text, mail.html ?? '']),
      renderTicketTable([ticket]),
      renderTicket(ticket, messages),
    ];
    expect(shown.filter((text) => text.includes(password))).toEqual([]);
  });

  it('says what every message was for', async () => {
    const { receive, store, sentTo } = pipeline();
    const number = ticketNumberOf(await receive({}));
    const notice = sentTo('servicedesk-agents@example.com')[0]!;
    await receive(
      { from: 'carla@example.com', subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text: 'On it.' },
      { verdicts: AUTHENTICATED },
    );

    expect((await store.listMessages(number)).map((message) => message.purpose)).toEqual([
      'customer-message',
      'acknowledgement',
      'agent-new-ticket',
      'agent-reply',
      'agent-reply-relay',
    ]);
  });
});

describe('a claim on a thread does not let a stranger in', () => {
  it('gives a mail its own ticket when someone else’s reply claimed its Message-ID first', async () => {
    const { receive, clock, store, sentTo } = pipeline();
    // Eve quotes a Message-ID she has seen (or guessed) before Ana's mail with it arrives.
    const eve = ticketNumberOf(
      await receive({
        from: 'eve@elsewhere.example',
        subject: 'Re: Invoice 4411',
        inReplyTo: '<ana-original@customer.example>',
        references: '<ana-original@customer.example>',
      }),
    );
    clock.advance(60 * 60_000);

    const ana = await receive({
      from: 'ana@customer.example',
      subject: 'Invoice 4411',
      messageId: '<ana-original@customer.example>',
      text: 'My card ends in 4242 and the invoice is wrong.',
    });

    expect(ana).toMatchObject({ outcome: 'created' });
    expect(ticketNumberOf(ana)).not.toBe(eve);
    const evesMessages = await store.listMessages(eve);
    expect(evesMessages.some((message) => message.from === 'ana@customer.example')).toBe(false);
    expect(sentTo('eve@elsewhere.example').every((mail) => !mail.text.includes('invoice is wrong'))).toBe(true);
  });
});
