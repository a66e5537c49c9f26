import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlaClock } from '../../../lib/domain/sla/sla-schedule.ts';
import { changeStatus, newTicket, slaScheduleOf } from '../../../lib/domain/ticket/ticket-lifecycle.ts';
import {
  planTicketTimers,
  type TicketTimer,
  type TimedTicket,
  timedTicket,
  timerKey,
} from '../../../lib/domain/ticket/ticket-timers.ts';
import { at, shippedPolicy } from '../../support/policy-fixtures.ts';
import { aTicket } from '../../support/ticket-fixtures.ts';

const policy = shippedPolicy('default.yaml');
const sla = new SlaClock(policy);

/** A ticket of the default policy's 24/7 install team, high priority, received Monday 10:00 Toronto time. */
const installTicket = (overrides: Partial<TimedTicket> = {}): TimedTicket => ({
  ...aTicket(1000, { queue: 'installteam', priority: 'high', plan: 'basic', createdAt: '2026-11-23T15:00:00.000Z' }),
  timersActed: [],
  ...overrides,
});

const shown = (timers: readonly TicketTimer[]) =>
  timers.map((timer) => `${timerKey(timer)} ${new Date(timer.at).toISOString()}`);

describe('the timers a ticket needs', () => {
  it('plans warning, breach and every escalation level of both targets for a new ticket, earliest first', () => {
    // High on 24/7: first response within 4 h (warning at 75 %), resolution within 18 h;
    // escalation level 1 at the breach, level 2 two business hours later, level 3 four after that.
    expect(shown(planTicketTimers(policy, sla, installTicket()))).toEqual([
      'firstResponse.warning 2026-11-23T18:00:00.000Z',
      'firstResponse.breach 2026-11-23T19:00:00.000Z',
      'firstResponse.escalation.1 2026-11-23T19:00:00.000Z',
      'firstResponse.escalation.2 2026-11-23T21:00:00.000Z',
      'firstResponse.escalation.3 2026-11-24T01:00:00.000Z',
      'resolution.warning 2026-11-24T04:30:00.000Z',
      'resolution.breach 2026-11-24T09:00:00.000Z',
      'resolution.escalation.1 2026-11-24T09:00:00.000Z',
      'resolution.escalation.2 2026-11-24T11:00:00.000Z',
      'resolution.escalation.3 2026-11-24T15:00:00.000Z',
    ]);
  });

  it('counts escalation delays in business time: a weekend on a weekdays-only calendar waits', () => {
    // Partner support is open Mon–Fri all day; received Friday 20:00 Toronto, 4 h before the weekend.
    const ticket = installTicket({ queue: 'partnersupport', createdAt: '2026-11-28T01:00:00.000Z' });

    const firstResponse = planTicketTimers(policy, sla, ticket).filter((timer) => timer.target === 'firstResponse');

    expect(shown(firstResponse)).toEqual([
      'firstResponse.warning 2026-11-28T04:00:00.000Z',
      // Friday 24:00 Toronto is the breach; the next levels wait for Monday.
      'firstResponse.breach 2026-11-28T05:00:00.000Z',
      'firstResponse.escalation.1 2026-11-28T05:00:00.000Z',
      'firstResponse.escalation.2 2026-11-30T07:00:00.000Z',
      'firstResponse.escalation.3 2026-11-30T11:00:00.000Z',
    ]);
  });

  it('needs none of a target’s timers once the target is met', () => {
    const answered = installTicket({ firstRespondedAt: '2026-11-23T16:00:00.000Z', status: 'in-progress' });

    const targets = new Set(planTicketTimers(policy, sla, answered).map((timer) => timer.target));

    expect(targets).toEqual(new Set(['resolution']));
  });

  it('needs nothing once the ticket is resolved or closed', () => {
    expect(
      planTicketTimers(policy, sla, installTicket({ status: 'resolved', resolvedAt: '2026-11-23T17:00:00Z' })),
    ).toEqual([]);
    expect(
      planTicketTimers(policy, sla, installTicket({ status: 'closed', resolvedAt: '2026-11-23T17:00:00Z' })),
    ).toEqual([]);
  });

  it('stops the SLA timers while waiting on the customer and plans the reminder and the auto-close in wall-clock time', () => {
    const answered = { ...aTicket(1000, { ...installTicket(), firstRespondedAt: '2026-11-23T16:00:00.000Z' }) };
    const waiting = changeStatus(answered, 'waiting-on-customer', at('2026-11-23T12:00:00-05:00'), sla);

    expect(shown(planTicketTimers(policy, sla, { ...waiting, timersActed: [] }))).toEqual([
      // remindAfter 24h, closeAfter 48h: wall-clock, whatever the calendar.
      'waiting.reminder. 2026-11-24T17:00:00.000Z',
      'waiting.auto-close. 2026-11-25T17:00:00.000Z',
    ]);
  });

  it('resumes the SLA timers with the wait subtracted when the customer answers', () => {
    const answered = aTicket(1000, { ...installTicket(), firstRespondedAt: '2026-11-23T16:00:00.000Z' });
    const waiting = changeStatus(answered, 'waiting-on-customer', at('2026-11-23T12:00:00-05:00'), sla);
    const resumed = changeStatus(waiting, 'open', at('2026-11-23T15:00:00-05:00'), sla);

    const resolution = planTicketTimers(policy, sla, { ...resumed, timersActed: [] });

    // 18 h from 10:00, plus the 3 h wait: 07:00 the next day, Toronto time.
    expect(resolution.find((timer) => timer.kind === 'breach')?.at).toBe(at('2026-11-24T07:00:00-05:00'));
    expect(resolution.some((timer) => timer.target === null)).toBe(false);
  });

  it('leaves out a timer that has acted, so firing it again finds nothing to do', () => {
    const acted = ['firstResponse.warning', 'firstResponse.breach', 'firstResponse.escalation.1'];

    const plan = planTicketTimers(policy, sla, installTicket({ timersActed: acted }));

    expect(plan.map((timer) => timerKey(timer))).not.toContain('firstResponse.escalation.1');
    expect(plan[0]).toMatchObject({ kind: 'escalation', target: 'firstResponse', level: 2 });
  });

  it('keys a wait’s timers by the wait, so a second wait has a reminder of its own', () => {
    const answered = aTicket(1000, { ...installTicket(), firstRespondedAt: '2026-11-23T16:00:00.000Z' });
    const firstWait = changeStatus(answered, 'waiting-on-customer', at('2026-11-23T12:00:00-05:00'), sla);
    const firstKeys = planTicketTimers(policy, sla, { ...firstWait, timersActed: [] }).map((timer) =>
      timerKey(timer, firstWait.pauses.at(-1)!.start),
    );
    const secondWait = changeStatus(
      changeStatus(firstWait, 'open', at('2026-11-24T09:00:00-05:00'), sla),
      'waiting-on-customer',
      at('2026-11-24T10:00:00-05:00'),
      sla,
    );

    const second = planTicketTimers(policy, sla, { ...secondWait, timersActed: firstKeys });

    expect(second.map((timer) => timer.kind)).toEqual(['reminder', 'auto-close']);
    expect(second[0]!.at).toBe(at('2026-11-25T10:00:00-05:00'));
  });

  it('never plans a timer before the ticket arrived, always earliest first, and the same plan twice', () => {
    const queues = policy.queues.map((queue) => queue.name);
    const priorities = policy.priorities.levels.map((level) => level.name);
    fc.assert(
      fc.property(
        fc.constantFrom(...queues),
        fc.constantFrom(...priorities),
        // Across a year, both DST changes and the policy's holidays included.
        fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z') }),
        (queue, priority, received) => {
          const ticket = installTicket({ queue, priority, createdAt: new Date(received).toISOString() });
          const plan = planTicketTimers(policy, sla, ticket);
          expect(plan.every((timer) => timer.at >= received)).toBe(true);
          expect(plan.map((timer) => timer.at)).toEqual([...plan.map((timer) => timer.at)].sort((a, b) => a - b));
          expect(planTicketTimers(policy, sla, ticket)).toEqual(plan);
          expect(plan.filter((timer) => timer.kind === 'breach').length).toBeLessThanOrEqual(2);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the timer of held follow-ups', () => {
  const holding = { until: '2026-11-23T15:40:00.000Z', held: [2, 3] };
  const followUps = (ticket: TimedTicket) =>
    shown(planTicketTimers(policy, sla, ticket).filter((timer) => timer.kind === 'follow-ups'));

  it('is planned at the window’s end while the window holds follow-ups, keyed by the window and its oldest', () => {
    const plan = planTicketTimers(policy, sla, installTicket({ followUpWindow: holding }));

    expect(shown(plan.slice(0, 1))).toEqual(['follow-ups.2026-11-23T15:40:00.000Z.2 2026-11-23T15:40:00.000Z']);
  });

  it('is not planned once the window is emptied, nor for a window that never held any', () => {
    expect(followUps(installTicket({ followUpWindow: { ...holding, held: [] } }))).toEqual([]);
    expect(followUps(installTicket({ followUpWindow: null }))).toEqual([]);
  });

  it('is still planned on a ticket resolved or closed since, and is then its only timer', () => {
    for (const status of ['resolved', 'closed'] as const) {
      const ticket = installTicket({ status, resolvedAt: '2026-11-23T15:20:00.000Z', followUpWindow: holding });

      expect(shown(planTicketTimers(policy, sla, ticket))).toEqual([
        'follow-ups.2026-11-23T15:40:00.000Z.2 2026-11-23T15:40:00.000Z',
      ]);
    }
  });

  it('has a key of its own for a follow-up left held for the next mail', () => {
    const acted = ['follow-ups.2026-11-23T15:40:00.000Z.2'];

    expect(followUps(installTicket({ followUpWindow: { ...holding, held: [3] }, timersActed: acted }))).toEqual([
      'follow-ups.2026-11-23T15:40:00.000Z.3 2026-11-23T15:40:00.000Z',
    ]);
  });
});

describe('timer instants', () => {
  it('are whole milliseconds, never before the share they stand for, even when 75% of a target falls between two', () => {
    const policy = shippedPolicy('default.yaml');
    const sla = new SlaClock(policy);
    // 16:00:00.001 on a calendar closing at 18:00: the end of the business day is 2 h less a millisecond away, and 75% of that is not a whole millisecond.
    const received = Date.parse('2026-11-23T21:00:00.001Z');
    const ticket = newTicket(
      {
        number: 1000,
        queue: 'servicedesk',
        requester: 'ana@customer.example',
        requesterName: null,
        participants: [],
        subject: 'x',
        normalizedSubject: 'x',
        priority: 'medium',
        plan: 'basic',
        region: 'mena',
        channel: 'email',
        locale: 'en',
        flags: [],
        receivedAt: received,
        firstRespondedAt: null,
      },
      sla,
    );
    const plan = planTicketTimers(policy, sla, timedTicket(ticket));
    for (const timer of plan) expect(Number.isInteger(timer.at)).toBe(true);
    const warning = plan.find((timer) => timer.kind === 'warning' && timer.target === 'firstResponse')!;
    const exact = slaScheduleOf(ticket, sla).firstResponse!.warningAt!;
    expect(warning.at).toBeGreaterThanOrEqual(exact);
    expect(warning.at - exact).toBeLessThan(1);
    expect(Number.isInteger(exact)).toBe(false);
  });
});

describe('timers on business calendars', () => {
  /** A medium ticket on servicedesk from the MENA region: Mon–Fri 08:00–18:00 Toronto, Christmas closed. */
  const officeTicket = (createdAt: string): TimedTicket => ({
    ...aTicket(1000, { queue: 'servicedesk', region: 'mena', priority: 'medium', plan: 'basic', createdAt }),
    timersActed: [],
  });
  const firstResponse = (ticket: TimedTicket) =>
    shown(planTicketTimers(policy, sla, ticket).filter((timer) => timer.target === 'firstResponse'));

  it('skips a holiday and the weekend after it between escalation levels', () => {
    // Thursday 24 December 16:00: due at the end of that business day; Christmas is closed, then the weekend.
    expect(firstResponse(officeTicket('2026-12-24T21:00:00.000Z'))).toEqual([
      'firstResponse.warning 2026-12-24T22:30:00.000Z',
      'firstResponse.breach 2026-12-24T23:00:00.000Z',
      'firstResponse.escalation.1 2026-12-24T23:00:00.000Z',
      // Monday 28 December 08:00 + 2 h, then + 4 h.
      'firstResponse.escalation.2 2026-12-28T15:00:00.000Z',
      'firstResponse.escalation.3 2026-12-28T19:00:00.000Z',
    ]);
  });

  it('keeps office hours across the autumn clock change: Monday 10:00 is 15:00 UTC after it', () => {
    // Friday 30 October 2026 17:00 EDT; clocks go back on Sunday 1 November.
    expect(firstResponse(officeTicket('2026-10-30T21:00:00.000Z'))).toEqual([
      'firstResponse.warning 2026-10-30T21:45:00.000Z',
      'firstResponse.breach 2026-10-30T22:00:00.000Z',
      'firstResponse.escalation.1 2026-10-30T22:00:00.000Z',
      'firstResponse.escalation.2 2026-11-02T15:00:00.000Z',
      'firstResponse.escalation.3 2026-11-02T19:00:00.000Z',
    ]);
  });

  it('keeps office hours across the spring clock change: Monday 10:00 is 14:00 UTC after it', () => {
    // Friday 12 March 2027 17:00 EST; clocks go forward on Sunday 14 March.
    expect(firstResponse(officeTicket('2027-03-12T22:00:00.000Z'))).toEqual([
      'firstResponse.warning 2027-03-12T22:45:00.000Z',
      'firstResponse.breach 2027-03-12T23:00:00.000Z',
      'firstResponse.escalation.1 2027-03-12T23:00:00.000Z',
      'firstResponse.escalation.2 2027-03-15T14:00:00.000Z',
      'firstResponse.escalation.3 2027-03-15T18:00:00.000Z',
    ]);
  });
});

describe('timers after a change', () => {
  it('move earlier when the priority is raised: critical is due within 1 h', () => {
    const high = planTicketTimers(policy, sla, installTicket());
    const critical = planTicketTimers(policy, sla, installTicket({ priority: 'critical' }));

    expect(shown(critical.filter((timer) => timer.target === 'firstResponse')).slice(0, 2)).toEqual([
      'firstResponse.warning 2026-11-23T15:45:00.000Z',
      'firstResponse.breach 2026-11-23T16:00:00.000Z',
    ]);
    expect(critical[0]!.at).toBeLessThan(high[0]!.at);
  });

  it('come back for the resolution when a resolved ticket is reopened, without those that already acted', () => {
    const answered = aTicket(1000, {
      ...installTicket(),
      status: 'in-progress',
      firstRespondedAt: '2026-11-23T16:00:00.000Z',
    });
    const resolved = changeStatus(answered, 'resolved', Date.parse('2026-11-23T18:00:00Z'), sla);
    expect(planTicketTimers(policy, sla, { ...resolved, timersActed: [] })).toEqual([]);

    const reopened = changeStatus(resolved, 'open', Date.parse('2026-11-24T05:00:00Z'), sla);
    const plan = planTicketTimers(policy, sla, { ...reopened, timersActed: ['resolution.warning'] });

    expect(plan.map((timer) => timerKey(timer))).toEqual([
      'resolution.breach',
      'resolution.escalation.1',
      'resolution.escalation.2',
      'resolution.escalation.3',
    ]);
  });
});
