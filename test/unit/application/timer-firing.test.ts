import { describe, expect, it } from 'vitest';
import { fireTimer } from '../../../lib/application/fire-timer.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { at } from '../../support/policy-fixtures.ts';

const HOUR = 3_600_000;
const MONDAY_10AM = at('2026-11-23T10:00:00-05:00');

/** A servicedesk ticket (Mon–Fri 24 h, medium, basic: first response within 4 h, due 14:00) and a way to answer it as Carla. */
async function unansweredTicket(mail: { subject?: string; text?: string; from?: string } = {}) {
  const setup = pipeline();
  const number = ticketNumberOf(
    await setup.receive({
      subject: mail.subject ?? 'Reports show no data',
      text: mail.text ?? 'Since this morning the weekly report is empty. Could you have a look?',
      ...(mail.from ? { from: mail.from } : {}),
    }),
  );
  const notice = setup.sentTo('servicedesk-agents@example.com')[0]!;
  const answer = (text: string) =>
    setup.receive(
      { from: 'Carla Agent <carla@example.com>', subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text },
      { verdicts: AUTHENTICATED },
    );
  const purposesTo = async (address: string) =>
    (await setup.store.listMessages(number))
      .filter((message) => message.direction === 'outbound' && message.to.includes(address))
      .map((message) => message.purpose);
  return { ...setup, number, notice, answer, purposesTo };
}

describe('SLA timers of an unanswered ticket', () => {
  it('warn the agents at 75% of the first-response target, then escalate level by level to the managers', async () => {
    const { runTimersUntil, store, number, purposesTo, sentTo } = await unansweredTicket();

    await runTimersUntil(MONDAY_10AM + 30 * HOUR);

    expect(await purposesTo('servicedesk-agents@example.com')).toEqual(['agent-new-ticket', 'agent-sla-alert']);
    expect(await purposesTo('service-manager@example.com')).toEqual(['escalation']);
    expect(await purposesTo('fulfillment-manager@example.com')).toEqual(['escalation']);
    expect(await purposesTo('owner@example.com')).toEqual(['escalation']);
    const ticket = (await store.getTicket(number))!;
    expect(ticket.timerLog.map((acted) => [acted.key, acted.dueAt])).toEqual([
      ['firstResponse.warning', '2026-11-23T18:00:00.000Z'],
      ['firstResponse.breach', '2026-11-23T19:00:00.000Z'],
      ['firstResponse.escalation.1', '2026-11-23T19:00:00.000Z'],
      ['firstResponse.escalation.2', '2026-11-23T21:00:00.000Z'],
      ['firstResponse.escalation.3', '2026-11-24T01:00:00.000Z'],
    ]);
    expect(ticket.escalationLevel).toBe(3);
    // The first level goes out at the breach, the next one two business hours later.
    const [level1] = sentTo('service-manager@example.com');
    expect(level1!.subject).toContain('[Atende #1000]');
    expect(level1!.replyTo?.map((address) => address.address)).toEqual(['servicedesk@example.com']);
    expect(level1!.text).toContain('Reports show no data');
  });

  it('are prevented by an agent’s answer before the due time: no warning, no escalation', async () => {
    const { runTimersUntil, clock, answer, purposesTo, store, number } = await unansweredTicket();
    clock.set(MONDAY_10AM + HOUR);
    await answer('We are looking into the report now.');

    await runTimersUntil(MONDAY_10AM + 30 * HOUR);

    expect(await purposesTo('servicedesk-agents@example.com')).toEqual(['agent-new-ticket']);
    expect(await purposesTo('service-manager@example.com')).toEqual([]);
    expect((await store.getTicket(number))!.timerLog.filter((acted) => acted.target === 'firstResponse')).toEqual([]);
  });

  it('stop at the level reached when an agent answers after the breach', async () => {
    const { runTimersUntil, answer, purposesTo, store, number } = await unansweredTicket();
    await runTimersUntil(at('2026-11-23T14:30:00-05:00'));
    expect(await purposesTo('service-manager@example.com')).toEqual(['escalation']);

    await answer('Sorry for the wait: the report job failed, we are rerunning it.');
    await runTimersUntil(MONDAY_10AM + 30 * HOUR);

    expect(await purposesTo('fulfillment-manager@example.com')).toEqual([]);
    expect((await store.getTicket(number))!.escalationLevel).toBe(1);
  });

  it('act once when Scheduler delivers the same firing twice', async () => {
    const { deps, timers, clock, mailer } = await unansweredTicket();
    const warning = timers.pending()[0]!;
    clock.set(warning.at);
    timers.fired(warning.name);

    const first = await fireTimer(deps, warning.firing);
    const sent = mailer.sent.length;
    const again = await fireTimer(deps, warning.firing);

    expect(first).toMatchObject({ outcome: 'acted', acted: ['firstResponse.warning'] });
    expect(again).toMatchObject({ outcome: 'duplicate' });
    expect(mailer.sent).toHaveLength(sent);
  });

  it('do nothing when a stale firing comes after the target was met, and keep the ticket’s next timer', async () => {
    const { deps, timers, clock, answer, mailer, number } = await unansweredTicket();
    const warning = timers.pending()[0]!;
    clock.set(MONDAY_10AM + HOUR);
    await answer('On it.');
    const sent = mailer.sent.length;
    const [next] = timers.pending();
    expect(next!.firing).toMatchObject({ kind: 'warning', target: 'resolution' });

    // Say the answer's settle was lost: the old firing still came, from the ticket's one schedule, which deleted itself.
    clock.set(warning.at);
    timers.fired(warning.name);
    expect(await fireTimer(deps, warning.firing)).toEqual({ outcome: 'stale', ticketNumber: number });

    expect(mailer.sent).toHaveLength(sent);
    const name = `ticket-${number}-timer-1`;
    expect(timers.pending()).toEqual([{ ...next, name, firing: { ...next!.firing, schedule: name } }]);
  });

  it('settle on a repeated delivery what the first one left owed, without deciding again', async () => {
    const { deps, timers, clock, mailer, store, number } = await unansweredTicket();
    const warning = timers.pending()[0]!;
    clock.set(warning.at);
    timers.fired(warning.name);
    mailer.failNext(Object.assign(new Error('Maximum sending rate exceeded'), { name: 'Throttling' }));

    await expect(fireTimer(deps, warning.firing)).rejects.toThrow('Maximum sending rate exceeded');
    clock.set(warning.at + 60_000);
    expect(await fireTimer(deps, warning.firing)).toEqual({ outcome: 'duplicate', ticketNumber: number });

    expect(mailer.sent.filter((mail) => mail.to[0]!.address === 'servicedesk-agents@example.com')).toHaveLength(2);
    expect((await store.getTicket(number))!.timerLog.map((acted) => acted.key)).toEqual(['firstResponse.warning']);
  });

  it('hold one schedule per ticket: the next timer, under a new name after each firing', async () => {
    const { timers, runTimersUntil, number } = await unansweredTicket();
    expect(timers.pending().map((timer) => [timer.name, timer.firing.kind])).toEqual([
      [`ticket-${number}-timer-0`, 'warning'],
    ]);

    await runTimersUntil(at('2026-11-23T14:00:00-05:00'));

    expect(timers.pending().map((timer) => [timer.name, timer.firing.kind, timer.firing.level])).toEqual([
      [`ticket-${number}-timer-2`, 'escalation', 2],
    ]);
  });
});

describe('a ticket waiting on the customer', () => {
  it('reminds the requester after 24 h and closes after 48 h with a notice in their language', async () => {
    const { runTimersUntil, clock, answer, store, number, sentTo, purposesTo } = await unansweredTicket({
      from: 'Lucía Pérez <lucia@cliente.example>',
      subject: 'El informe semanal está vacío',
      text: 'Desde esta mañana el informe semanal no muestra datos. ¿Pueden revisarlo, por favor?',
    });
    clock.set(MONDAY_10AM + HOUR);
    await answer('#status waiting\nCould you send us a screenshot of the empty report?');

    await runTimersUntil(MONDAY_10AM + HOUR + 47 * HOUR);
    expect(await purposesTo('lucia@cliente.example')).toEqual([
      'acknowledgement',
      'agent-reply-relay',
      'waiting-reminder',
    ]);
    expect((await store.getTicket(number))!.status).toBe('waiting-on-customer');

    await runTimersUntil(MONDAY_10AM + HOUR + 49 * HOUR);

    const ticket = (await store.getTicket(number))!;
    expect(ticket.status).toBe('closed');
    expect(ticket.closedAt).toBe('2026-11-25T16:00:00.000Z');
    const notice = sentTo('lucia@cliente.example').at(-1)!;
    expect(notice.headers?.['X-Atende-Ticket']).toBe(String(number));
    expect(notice.cc).toEqual([]);
    expect(`${notice.subject}\n${notice.text}`).toMatch(/cerrad/i);
  });
});
