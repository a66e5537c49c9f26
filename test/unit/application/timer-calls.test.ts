import { describe, expect, it } from 'vitest';
import type { TimerCall } from '../../../lib/adapters/memory/recording-timers.ts';
import { setTicketStatus } from '../../../lib/application/set-ticket-status.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { at, HOUR } from '../../support/policy-fixtures.ts';

/** Issue 8: a typical life costs at most this many Scheduler calls (bench/timer-calls.ts prints the figure). */
const TYPICAL_LIFE_BUDGET = 6;
const MONDAY_10AM = at('2026-11-23T10:00:00-05:00');

/** A call as a line: what it did, to which schedule, for which timer. */
const described = (call: TimerCall): string =>
  call.call === 'remove'
    ? `remove ${call.name}`
    : `${call.call} ${call.timer.name} ${call.timer.firing.target ?? 'waiting'} ${call.timer.firing.kind}`;

/** A servicedesk ticket opened Monday 10:00 (medium, basic: first response by 14:00) and a way to answer it as Carla. */
async function openedTicket() {
  const setup = pipeline();
  const number = ticketNumberOf(
    await setup.receive({
      from: 'Ana Smith <ana@cliente.example>',
      subject: 'Reports stopped arriving',
      text: 'Since this morning the weekly report is empty. Could you have a look?',
    }),
  );
  const notice = setup.sentTo('servicedesk-agents@example.com')[0]!;
  const answer = (text: string) =>
    setup.receive(
      { from: 'Carla Agent <carla@example.com>', subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text },
      { verdicts: AUTHENTICATED },
    );
  const callsDuring = async (step: () => Promise<unknown>): Promise<string[]> => {
    const before = setup.timers.calls.length;
    await step();
    return setup.timers.calls.slice(before).map(described);
  };
  return { ...setup, number, answer, callsDuring };
}

describe('Scheduler calls over a ticket’s life', () => {
  it('cost at most 6 over a typical life: one put, a move at each change, one remove at the resolution', async () => {
    const { clock, answer, receive, sentTo, runTimersUntil, deps, number, timers, callsDuring } = await openedTicket();
    const opening = timers.calls.map(described);

    clock.set(MONDAY_10AM + HOUR);
    const answered = await callsDuring(() => answer('We are looking into the report now.'));
    await runTimersUntil(MONDAY_10AM + 2 * HOUR);
    const waiting = await callsDuring(() => answer('#status waiting\nCould you send us a screenshot of the report?'));
    await runTimersUntil(MONDAY_10AM + 5 * HOUR);
    const relay = sentTo('ana@cliente.example').at(-1)!;
    const replied = await callsDuring(() =>
      receive({
        from: 'Ana Smith <ana@cliente.example>',
        subject: `Re: ${relay.subject}`,
        inReplyTo: relay.messageId,
        text: 'Here is the screenshot: headers and no rows.',
      }),
    );
    await runTimersUntil(MONDAY_10AM + 6 * HOUR);
    const resolved = await callsDuring(() =>
      setTicketStatus(
        deps,
        { key: 'cli-resolve', now: clock.now(), rawKey: null },
        { ticketNumber: number, status: 'resolved' },
      ),
    );

    const name = `ticket-${number}-timer-0`;
    expect({ opening, answered, waiting, replied, resolved }).toEqual({
      opening: [`put ${name} firstResponse warning`],
      answered: [`move ${name} resolution warning`],
      waiting: [`move ${name} waiting reminder`],
      replied: [`move ${name} resolution warning`],
      resolved: [`remove ${name}`],
    });
    expect(timers.calls.length).toBeLessThanOrEqual(TYPICAL_LIFE_BUDGET);
    expect(timers.pending()).toEqual([]);
  });

  it('cost one put per firing of an unanswered ticket up to escalation level 3, the fired schedule deleting itself', async () => {
    const { runTimersUntil, timers, store, number } = await openedTicket();

    await runTimersUntil(MONDAY_10AM + 24 * HOUR);

    expect((await store.getTicket(number))!.escalationLevel).toBe(3);
    // The breach and level 1 are due at once and act in one firing.
    expect(timers.calls.map(described)).toEqual([
      `put ticket-${number}-timer-0 firstResponse warning`,
      `put ticket-${number}-timer-1 firstResponse breach`,
      `put ticket-${number}-timer-2 firstResponse escalation`,
      `put ticket-${number}-timer-3 firstResponse escalation`,
      `put ticket-${number}-timer-4 resolution warning`,
    ]);
  });

  it('cost no remove when a waiting ticket is auto-closed: the last schedule fired and deleted itself', async () => {
    const { clock, answer, runTimersUntil, timers, store, number } = await openedTicket();
    clock.set(MONDAY_10AM + HOUR);
    await answer('#status waiting\nCould you send us a screenshot of the report?');

    await runTimersUntil(MONDAY_10AM + 50 * HOUR);

    expect((await store.getTicket(number))!.status).toBe('closed');
    expect(timers.calls.map(described)).toEqual([
      `put ticket-${number}-timer-0 firstResponse warning`,
      `move ticket-${number}-timer-0 waiting reminder`,
      `put ticket-${number}-timer-1 waiting auto-close`,
    ]);
    expect(timers.pending()).toEqual([]);
  });
});
