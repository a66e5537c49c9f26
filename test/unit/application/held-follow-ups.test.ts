import { describe, expect, it } from 'vitest';
import { fireTimer } from '../../../lib/application/fire-timer.ts';
import { setTicketStatus } from '../../../lib/application/set-ticket-status.ts';
import { renderTicket } from '../../../lib/cli/commands/local-stack-commands.ts';
import { agentNoticeWords, replyMarkerLine } from '../../../lib/domain/ticket/agent-notice-markers.ts';
import { pipeline } from '../../support/ingest-pipeline.ts';
import { at, MINUTE } from '../../support/policy-fixtures.ts';

/** The pipeline's clock starts here; the default policy throttles follow-ups to one per 40 minutes. */
const OPENED = at('2026-11-23T10:00:00-05:00');
const WINDOW_ENDS = OPENED + 40 * MINUTE;
const AGENTS = 'servicedesk-agents@example.com';
const CUSTOMER = 'ana@customer.example';

/** A ticket opened at 10:00 and a way for its requester to write again at a given minute. */
async function openedTicket(options: Parameters<typeof pipeline>[1] = {}) {
  const setup = pipeline('default.yaml', options);
  await setup.receive({ subject: 'Printer offline', text: 'The printer on the third floor is offline.' });
  const ack = setup.sentTo(CUSTOMER)[0]!;
  const followUp = (minute: number, text: string, thread: 'in-reply-to' | 'tag' | 'subject' = 'tag') => {
    setup.clock.set(Math.max(setup.clock.now(), OPENED + minute * MINUTE));
    return setup.receive(
      thread === 'in-reply-to'
        ? { subject: `Re: ${ack.subject}`, inReplyTo: ack.messageId, text }
        : { subject: thread === 'tag' ? 'Re: [Atende #1000] Printer offline' : 'RE: printer offline', text },
    );
  };
  const toAgents = () => setup.sentTo(AGENTS);
  const purposesToAgents = async () =>
    (await setup.store.listMessages(1000))
      .filter((message) => message.direction === 'outbound' && message.to.includes(AGENTS))
      .map((message) => message.purpose);
  return { ...setup, followUp, toAgents, purposesToAgents };
}

describe('throttled follow-ups', () => {
  it('reach the agents in one mail at the end of the window, quoted in order, with no acknowledgement', async () => {
    const { followUp, toAgents, sentTo, runTimersUntil, store } = await openedTicket();

    // Threaded each way a follow-up can be: none gets an acknowledgement, none a mail to the agents of its own.
    expect(await followUp(5, 'First: it still shows offline.', 'in-reply-to')).toMatchObject({ sent: [] });
    expect(await followUp(15, 'Second: now the one on the fourth floor too.', 'tag')).toMatchObject({ sent: [] });
    expect(await followUp(30, 'Third: we restarted both, no change.', 'subject')).toMatchObject({ sent: [] });
    expect(toAgents()).toHaveLength(1);

    await runTimersUntil(WINDOW_ENDS + MINUTE);

    const [newTicket, collected, ...more] = toAgents();
    expect(newTicket!.subject).toContain('New ticket');
    expect(more).toEqual([]);
    expect(collected!.subject).toBe('Customer follow-ups: [Atende #1000] Printer offline');
    expect(collected!.to.map((to) => to.address)).toEqual([AGENTS]);
    const words = agentNoticeWords('en');
    expect(collected!.text.split('\n').slice(0, 2)).toEqual([replyMarkerLine(words), words.banner]);
    const order = ['First: it still', 'Second: now', 'Third: we restarted'].map((text) =>
      collected!.text.indexOf(text),
    );
    expect(order.every((index, n) => index > (order[n - 1] ?? 0))).toBe(true);
    expect(collected!.text).not.toContain('The printer on the third floor is offline.');
    expect(sentTo(CUSTOMER)).toHaveLength(1);

    const ticket = (await store.getTicket(1000))!;
    expect(ticket.followUpWindow).toEqual({ until: new Date(WINDOW_ENDS).toISOString(), held: [] });
    expect(ticket.flags).toContain('throttled-follow-up');
    const held = (await store.listMessages(1000)).filter((message) => message.heldUntil !== null);
    expect(held.map((message) => message.text.slice(0, 6))).toEqual(['First:', 'Second', 'Third:']);
    expect(renderTicket(ticket, held)).toContain(
      `Throttled follow-up: held for the agents until ${new Date(WINDOW_ENDS).toISOString()}`,
    );
  });

  it('carry the files of the follow-ups they quote, as a notice carries its message’s', async () => {
    const { toAgents, receive, clock, runTimersUntil } = await openedTicket();
    clock.set(OPENED + 10 * MINUTE);
    await receive({
      subject: 'Re: [Atende #1000] Printer offline',
      text: 'The error on the printer’s panel, photographed.',
      attachments: [{ filename: 'panel.jpg', contentType: 'image/jpeg', content: 'a photo of the panel' }],
    });
    expect(toAgents()).toHaveLength(1);

    await runTimersUntil(WINDOW_ENDS + MINUTE);

    const collected = toAgents()[1]!;
    expect(collected.files.map((file) => [file.filename, Buffer.from(file.content).toString()])).toEqual([
      ['panel.jpg', 'a photo of the panel'],
    ]);
    expect(collected.text).toContain('panel.jpg (image/jpeg');
  });

  it('send one mail when the firing is delivered twice', async () => {
    const { followUp, deps, timers, clock, toAgents } = await openedTicket();
    await followUp(10, 'Any news?');
    const window = timers.pending()[0]!;
    expect(window.firing).toMatchObject({ kind: 'follow-ups', dueAt: new Date(WINDOW_ENDS).toISOString() });
    clock.set(window.at);
    timers.fired(window.name);

    const first = await fireTimer(deps, window.firing);
    const again = await fireTimer(deps, window.firing);

    expect(first).toMatchObject({ outcome: 'acted', acted: [`follow-ups.${new Date(WINDOW_ENDS).toISOString()}.4`] });
    expect(again).toMatchObject({ outcome: 'duplicate' });
    expect(toAgents()).toHaveLength(2);
  });

  it('go first, in their own mail, when a later follow-up arrives before the window’s late timer; the timer then sends nothing', async () => {
    const { followUp, deps, timers, clock, toAgents, purposesToAgents } = await openedTicket();
    await followUp(10, 'Any news?');
    const late = timers.pending()[0]!;

    // The window ended at 10:40 and its timer has not fired yet: the 10:50 follow-up reaches the agents.
    expect(await followUp(50, 'Still broken at 10:50.')).toMatchObject({
      sent: ['agent-held-follow-ups', 'agent-customer-reply'],
    });
    clock.set(late.at + MINUTE);
    timers.fired(late.name);
    expect(await fireTimer(deps, late.firing)).toMatchObject({ outcome: 'stale' });

    expect(await purposesToAgents()).toEqual(['agent-new-ticket', 'agent-held-follow-ups', 'agent-customer-reply']);
    const texts = toAgents().map((mail) => mail.text);
    expect(texts.filter((text) => text.includes('Any news?'))).toHaveLength(1);
    expect(texts.filter((text) => text.includes('Still broken at 10:50.'))).toHaveLength(1);
  });

  it('reach the agents on a ticket resolved since, which stays resolved and then holds no timer', async () => {
    const { followUp, deps, runTimersUntil, toAgents, store, clock, timers } = await openedTicket();
    await followUp(10, 'One more detail: it is the HP in room 4.');
    clock.set(OPENED + 20 * MINUTE);
    await setTicketStatus(
      deps,
      { key: 'cli-resolve', now: clock.now(), rawKey: null },
      {
        ticketNumber: 1000,
        status: 'resolved',
      },
    );
    expect(timers.pending().map((timer) => timer.firing.kind)).toEqual(['follow-ups']);

    await runTimersUntil(WINDOW_ENDS + MINUTE);

    const collected = toAgents().at(-1)!;
    expect(collected.text).toContain('One more detail: it is the HP in room 4.');
    expect(collected.text).toContain('Status:   Resolved');
    expect((await store.getTicket(1000))!.status).toBe('resolved');
    expect(timers.pending()).toEqual([]);
  });

  it('each reach the agents once when the customer writes every 30 minutes: every other one held, each window sent at its end', async () => {
    const { followUp, runTimersUntil, toAgents, purposesToAgents } = await openedTicket();
    const texts = ['at 10:30', 'at 11:00', 'at 11:30', 'at 12:00', 'at 12:30'].map((time) => `Still offline ${time}.`);

    for (const [n, text] of texts.entries()) {
      await runTimersUntil(OPENED + (n + 1) * 30 * MINUTE);
      await followUp((n + 1) * 30, text);
    }
    await runTimersUntil(OPENED + 165 * MINUTE);

    for (const text of texts)
      expect(
        toAgents().filter((mail) => mail.text.includes(text)),
        text,
      ).toHaveLength(1);
    expect(await purposesToAgents()).toEqual([
      'agent-new-ticket',
      'agent-held-follow-ups',
      'agent-customer-reply',
      'agent-held-follow-ups',
      'agent-customer-reply',
      'agent-held-follow-ups',
    ]);
  });
});
