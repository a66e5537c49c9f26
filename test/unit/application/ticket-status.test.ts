import { describe, expect, it } from 'vitest';
import { recordSurveyAnswer } from '../../../lib/application/record-survey-answer.ts';
import { setTicketStatus } from '../../../lib/application/set-ticket-status.ts';
import type { TicketEvent } from '../../../lib/application/ticket-event.ts';
import type { TicketStatus } from '../../../lib/domain/policy/policy-schema.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';

const HOUR = 3_600_000;
const SPANISH = 'Hola, la impresora de la oficina no funciona desde ayer. ¿Pueden ayudarnos, por favor?';

/** A Spanish customer's ticket, with Bob on Cc (a participant), and a way to move it as the CLI does. */
async function ticketOfAna(options: Parameters<typeof pipeline>[1] = {}) {
  const setup = pipeline('default.yaml', options);
  const number = ticketNumberOf(
    await setup.receive({
      from: 'Ana García <ana@customer.example>',
      cc: 'Bob <bob@customer.example>',
      subject: 'La impresora no funciona',
      text: SPANISH,
    }),
  );
  let events = 0;
  const event = (): TicketEvent => ({ key: `cli-${++events}`, now: setup.clock.now(), rawKey: null });
  const setStatus = (status: TicketStatus, note: string | null = null) =>
    setTicketStatus(setup.deps, event(), { ticketNumber: number, status, note });
  const notice = setup.sentTo('servicedesk-agents@example.com')[0]!;
  setup.mailer.sent.length = 0;
  return { ...setup, number, notice, setStatus };
}

/** The survey links a mail's text carries (good first). */
const surveyLinksIn = (text: string): string[] =>
  [...text.matchAll(/https:\/\/support\.example\.test\/survey\/\S+/g)].map((match) => match[0]);

describe('resolving a ticket', () => {
  it("sends the requester alone the resolution summary in their language, with the note and the survey's two links", async () => {
    const { setStatus, mailer, clock, store, number } = await ticketOfAna();
    expect((await store.getTicket(number))!.participants).toEqual(['bob@customer.example']);
    clock.advance(2 * HOUR);

    const outcome = await setStatus('resolved', 'Cambiamos el tóner y reiniciamos la cola de impresión.');

    expect(outcome).toMatchObject({ outcome: 'changed', sent: ['resolution-summary'] });
    expect(mailer.sent).toHaveLength(1);
    const [summary] = mailer.sent;
    expect(summary!.to.map((to) => to.address)).toEqual(['ana@customer.example']);
    expect(summary!.cc ?? []).toEqual([]);
    expect(summary!.subject).toMatch(/^Resuelto: /);
    expect(summary!.text).toContain('Cambiamos el tóner y reiniciamos la cola de impresión.');
    expect(summary!.text).toContain('Bien: https://support.example.test/survey/');
    expect(surveyLinksIn(summary!.text)).toHaveLength(2);
  });

  it('marks the ticket resolved at the time, and removes its timers', async () => {
    const { setStatus, store, number, clock, timers } = await ticketOfAna();
    expect(timers.pending()).not.toEqual([]);
    clock.advance(2 * HOUR);

    await setStatus('resolved');

    expect(await store.getTicket(number)).toMatchObject({
      status: 'resolved',
      resolvedAt: new Date(clock.now()).toISOString(),
    });
    expect(timers.pending()).toEqual([]);
  });

  it('sends no survey where the policy does not ask for one on resolution', async () => {
    const policy = shippedPolicy('default.yaml');
    const { setStatus, mailer } = await ticketOfAna({
      policy: { ...policy, survey: { ...policy.survey, onResolution: false } },
    });

    await setStatus('resolved', 'Listo.');

    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]!.subject).toMatch(/^Resuelto: /);
    expect(surveyLinksIn(mailer.sent[0]!.text)).toEqual([]);
    expect(mailer.sent[0]!.text).not.toContain('/survey/');
  });

  it('changes nothing and sends nothing when the ticket is resolved again', async () => {
    const { setStatus, mailer, store, number, clock, timers } = await ticketOfAna();
    await setStatus('resolved');
    const resolved = await store.getTicket(number);
    const calls = timers.calls.length;
    clock.advance(HOUR);

    const again = await setStatus('resolved', 'Otra nota.');

    expect(again.outcome).toBe('unchanged');
    expect(mailer.sent).toHaveLength(1);
    expect(await store.getTicket(number)).toEqual(resolved);
    expect(timers.calls).toHaveLength(calls);
  });
});

describe('reopening a ticket', () => {
  for (const from of ['resolved', 'closed'] as const) {
    it(`opens a ${from} ticket again, clears its resolution and closing, and plans its SLA timers again`, async () => {
      const { setStatus, store, number, clock, timers } = await ticketOfAna();
      const planned = timers.pending().map((timer) => timer.firing.kind);
      await setStatus(from);
      expect(timers.pending()).toEqual([]);
      clock.advance(HOUR);

      const outcome = await setStatus('open');

      expect(outcome).toMatchObject({ outcome: 'changed', result: 'open' });
      expect(await store.getTicket(number)).toMatchObject({ status: 'open', resolvedAt: null, closedAt: null });
      expect(timers.pending().map((timer) => timer.firing)).toEqual([
        expect.objectContaining({ ticketNumber: number, kind: planned[0], target: 'firstResponse' }),
      ]);
    });
  }

  it('refuses to put a ticket back to new', async () => {
    const { setStatus, store, number } = await ticketOfAna();
    const before = await store.getTicket(number);

    await expect(setStatus('new')).rejects.toMatchObject({ code: 'cli.invalidArgument' });
    expect(await store.getTicket(number)).toEqual(before);
  });

  it('says there is no such ticket for an unknown number', async () => {
    const { deps, clock } = await ticketOfAna();

    await expect(
      setTicketStatus(deps, { key: 'cli-x', now: clock.now(), rawKey: null }, { ticketNumber: 4242, status: 'open' }),
    ).rejects.toMatchObject({ code: 'store.ticketNotFound' });
  });
});

describe('waiting on the customer', () => {
  it('pauses the SLA clock and plans the reminder instead of the SLA timers', async () => {
    const { setStatus, store, number, clock, timers, policy } = await ticketOfAna();
    clock.advance(20 * 60_000); // before the first response is due (a critical ticket: within the hour)
    const since = clock.now();

    await setStatus('waiting-on-customer');

    const ticket = (await store.getTicket(number))!;
    expect(ticket.status).toBe('waiting-on-customer');
    expect(ticket.pauses).toEqual([{ start: new Date(since).toISOString(), end: null }]);
    expect(ticket.firstResponseDue).toBeNull();
    expect(timers.pending().map((timer) => [timer.firing.kind, timer.at])).toEqual([
      ['reminder', since + policy.waitingOnCustomer.remindAfter! * 60_000],
    ]);
  });
});

describe("an agent's #status solved", () => {
  it('relays the reply and sends the resolution summary with the survey, whose link records the rating once', async () => {
    const { receive, notice, mailer, store, number, timers, deps } = await ticketOfAna();

    const result = await receive(
      {
        from: 'Carla Agent <carla@example.com>',
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        text: '#status solved\nHemos cambiado el tóner: ya imprime.',
      },
      { verdicts: AUTHENTICATED },
    );

    expect(result).toMatchObject({ outcome: 'relayed', sent: ['agent-reply-relay', 'resolution-summary'] });
    expect(mailer.sent.map((mail) => mail.to.map((to) => to.address))).toEqual([
      ['ana@customer.example'],
      ['ana@customer.example'],
    ]);
    const [relay, summary] = mailer.sent;
    expect(relay!.text).toContain('Hemos cambiado el tóner: ya imprime.');
    expect(relay!.text).not.toContain('#status');
    expect(summary!.subject).toMatch(/^Resuelto: /);
    expect(await store.getTicket(number)).toMatchObject({ status: 'resolved' });
    expect(timers.pending()).toEqual([]);

    const [good, bad] = surveyLinksIn(summary!.text);
    const token = (link: string) => new URL(link).pathname.slice('/survey/'.length);
    const first = await recordSurveyAnswer(deps, { token: token(good!), comment: null });
    const second = await recordSurveyAnswer(deps, { token: token(bad!), comment: null });

    expect(first).toMatchObject({ outcome: 'recorded', answer: { rating: 'good' } });
    expect(second).toMatchObject({ outcome: 'already-recorded', answer: { rating: 'good' } });
    expect((await store.getTicket(number))!.satisfaction).toMatchObject({ rating: 'good' });
  });
});
