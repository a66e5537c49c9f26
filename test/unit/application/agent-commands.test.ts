import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../../lib/application/ports/mailer.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';

const CUSTOMERS = ['ana@customer.example', 'bob@customer.example'];
const AGENTS = 'servicedesk-agents@example.com';

/** Ana's ticket with Bob on Cc, the agents' notification for it, and a way to answer it as Carla. */
async function notifiedTicket(policyFile = 'default.yaml') {
  const setup = pipeline(policyFile);
  const number = ticketNumberOf(
    await setup.receive({ cc: 'bob@customer.example', subject: 'Printer offline', text: 'It prints nothing.' }),
  );
  const notice = setup.sentTo(setup.policy.queues[0]!.agents)[0]!;
  setup.mailer.sent.length = 0;
  const answer = (text: string, from = 'Carla Agent <carla@example.com>') =>
    setup.receive(
      { from, subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text },
      { verdicts: AUTHENTICATED },
    );
  const toCustomers = () => setup.mailer.sent.filter((mail) => recipientsOf(mail).some((to) => CUSTOMERS.includes(to)));
  const purposes = async () => (await setup.store.listMessages(number)).map((message) => message.purpose);
  return { ...setup, number, notice, answer, toCustomers, purposes };
}

const recipientsOf = (mail: OutgoingMail): string[] => [...mail.to, ...(mail.cc ?? [])].map((to) => to.address);

describe('a reply whose commands are not understood', () => {
  it.each([
    ['misspelled', '#stauts waiting\nPlease restart the printer.', 'Did you mean #status?'],
    [
      'with a status the policy does not have',
      '#status wating\nPlease restart the printer.',
      '"wating" is not a value #status knows',
    ],
    ['with a command below the text', 'Please restart the printer.\n#status waiting', 'commands go at the top'],
    ['with two statuses', '#resolve\n#status waiting\nPlease restart the printer.', 'contradicts'],
    ['assigning a customer', '#assign ana@customer.example\nPlease restart the printer.', 'is not an agent'],
  ])('is not relayed when %s: nothing changes, the agent alone is told why', async (_, text, problem) => {
    const { answer, store, number, mailer, toCustomers, purposes } = await notifiedTicket();
    const before = (await store.getTicket(number))!;

    const result = await answer(text);

    expect(result).toMatchObject({
      outcome: 'recorded',
      kind: 'agent-reply-refused',
      reason: 'commands-not-understood',
    });
    expect(toCustomers()).toEqual([]);
    expect(mailer.sent.map(recipientsOf)).toEqual([['carla@example.com']]);
    expect(mailer.sent[0]!.text).toContain(problem);
    expect(mailer.sent[0]!.text).toContain('#priority <priority>: set the priority (critical, high, medium)');
    const after = (await store.getTicket(number))!;
    expect(after).toMatchObject({
      status: before.status,
      priority: before.priority,
      assignee: null,
      firstRespondedAt: before.firstRespondedAt,
    });
    expect((await purposes()).slice(-2)).toEqual(['agent-reply-refused', 'agent-relay-refused']);
  });

  it('never gets a mail with a #note at the bottom relayed', async () => {
    const { answer, toCustomers } = await notifiedTicket();

    await answer('Hi Ana, we are on it.\n\n#note she was rude on the phone');

    expect(toCustomers()).toEqual([]);
  });

  it('tells the agent in the policy’s default language, with its command names', async () => {
    const { answer, mailer } = await notifiedTicket('examples/hosting-es.yaml');

    await answer('#estdo esperando\nHola.', 'Marta <marta@example.com>');

    expect(mailer.sent.at(-1)!.text).toContain('Línea 1: "#estdo" no es un comando. ¿Quiso decir #estado?');
    expect(mailer.sent.at(-1)!.text).toContain('#prioridad <prioridad>: cambia la prioridad (high, medium, low)');
  });
});

describe('a reply of commands only', () => {
  it('changes the ticket, relays nothing, and confirms to the agent alone what changed', async () => {
    const { answer, store, number, mailer, toCustomers, purposes } = await notifiedTicket();

    const result = await answer('#status waiting\n#priority high\n#take');

    expect(result).toMatchObject({ outcome: 'recorded', kind: 'agent-commands', sent: ['agent-commands-applied'] });
    expect(toCustomers()).toEqual([]);
    expect(await store.getTicket(number)).toMatchObject({
      status: 'waiting-on-customer',
      priority: 'high',
      assignee: 'carla@example.com',
      firstRespondedAt: null,
    });
    const [confirmation] = mailer.sent;
    expect(recipientsOf(confirmation!)).toEqual(['carla@example.com']);
    expect(confirmation!.text).toContain('Status: Received → Waiting for your reply');
    expect(confirmation!.text).toContain('Priority: medium → high');
    expect(confirmation!.text).toContain('Assigned to: nobody → carla@example.com');
    expect(confirmation!.text).toContain('Nothing was sent to the customer.');
    expect((await purposes()).slice(-2)).toEqual(['agent-commands', 'agent-commands-applied']);
  });

  it('recomputes the due times (and so the timers) of a new priority', async () => {
    const { answer, store, number, timers } = await notifiedTicket();
    const before = (await store.getTicket(number))!;
    const scheduledBefore = timers.pending().map((timer) => timer.at);

    await answer('#priority critical');

    const after = (await store.getTicket(number))!;
    expect(Date.parse(after.firstResponseDue!)).toBeLessThan(Date.parse(before.firstResponseDue!));
    expect(timers.pending().map((timer) => timer.at)).not.toEqual(scheduledBefore);
  });

  it('resolves with #resolver: the requester gets the resolution summary, the agent the confirmation', async () => {
    const { answer, store, number, mailer } = await notifiedTicket();

    const result = await answer('#resolver');

    expect(result).toMatchObject({ sent: ['resolution-summary', 'agent-commands-applied'] });
    expect((await store.getTicket(number))!.status).toBe('resolved');
    expect(mailer.sent.map(recipientsOf)).toEqual([['ana@customer.example'], ['carla@example.com']]);
    expect(mailer.sent[1]!.text).toContain('The customer was sent the resolution summary.');
  });
});

describe('commands with text', () => {
  it('apply, and the text alone is relayed', async () => {
    const { answer, store, number, toCustomers } = await notifiedTicket();

    const result = await answer('#prioridade alta\n#status aguardando\n\nPlease restart the printer.');

    expect(result).toMatchObject({ outcome: 'relayed', sent: ['agent-reply-relay'] });
    expect(toCustomers().map((mail) => mail.text.split('\n')[0])).toEqual(['Please restart the printer.']);
    expect(await store.getTicket(number)).toMatchObject({ status: 'waiting-on-customer', priority: 'high' });
  });

  it('relay the text before the resolution summary with the survey on #resolve', async () => {
    const { answer, toCustomers } = await notifiedTicket();

    const result = await answer('#resolve\nWe replaced the toner: it prints again.');

    expect(result).toMatchObject({ outcome: 'relayed', sent: ['agent-reply-relay', 'resolution-summary'] });
    const [relay, summary] = toCustomers();
    expect(relay!.text).toContain('We replaced the toner');
    expect(summary!.text).toContain('https://support.example.test/survey/');
  });
});

describe('internal notes', () => {
  it.each([
    ['#note', '#note\nDon’t promise a callback: the technician is off.'],
    ['an "Internal:" first line', 'Internal: don’t promise a callback, the technician is off.'],
    ['#nota', '#nota\nNo prometa una llamada.'],
  ])('keeps a %s on the ticket, mails it to the agents and never to the customer', async (_, text) => {
    const { answer, mailer, toCustomers, purposes, store, number } = await notifiedTicket();

    const result = await answer(text);

    expect(result).toMatchObject({ outcome: 'recorded', kind: 'internal-note', sent: ['agent-internal-note'] });
    expect(toCustomers()).toEqual([]);
    expect(mailer.sent.map(recipientsOf)).toEqual([[AGENTS]]);
    expect(mailer.sent[0]!.replyTo).toEqual([{ address: AGENTS, name: 'Atende Support' }]);
    expect(mailer.sent[0]!.text).not.toContain('reply above this line');
    expect((await purposes()).slice(-2)).toEqual(['internal-note', 'agent-internal-note']);
    expect((await store.getTicket(number))!.firstRespondedAt).toBeNull();
  });

  it('applies the other commands of the note, and mails the assignee unless they wrote it', async () => {
    const { answer, mailer, store, number } = await notifiedTicket();
    await answer('#assign dario@example.com');
    mailer.sent.length = 0;

    await answer('#priority high\n#note\nHe is a reseller: check the partner contract.');

    expect((await store.getTicket(number))!.priority).toBe('high');
    expect(mailer.sent.map(recipientsOf)).toEqual([[AGENTS, 'dario@example.com'], ['carla@example.com']]);
    mailer.sent.length = 0;
    await answer('#note\nDone, called him.', 'Dario <dario@example.com>');
    expect(mailer.sent.map(recipientsOf)).toEqual([[AGENTS]]);
  });
});
