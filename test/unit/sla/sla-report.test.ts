import { describe, expect, it } from 'vitest';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { parsePolicy } from '../../../lib/domain/policy/parse-policy.ts';
import { nearestRank, type SlaReportRow, slaReport } from '../../../lib/domain/sla/sla-report.ts';
import { SlaClock } from '../../../lib/domain/sla/sla-schedule.ts';
import type { ActedTimer, Ticket } from '../../../lib/domain/ticket/ticket.ts';
import { withDueTimes } from '../../../lib/domain/ticket/ticket-lifecycle.ts';
import { at } from '../../support/policy-fixtures.ts';
import { aTicket } from '../../support/ticket-fixtures.ts';

/**
 * A policy on a weekday office calendar (Mon–Fri 09:00–17:00 UTC, weekends closed): urgent
 * tickets are answered within 2 business hours and resolved within 8, normal ones within 8 and 24.
 * 2025-03-03 is a Monday; 2025-03-07 a Friday.
 */
const POLICY = `
brand: { name: Test Support, tag: Test }
languages: { offered: [en], default: en }
staff: { domains: [support.example] }
calendars:
  office:
    timeZone: UTC
    week: { mon: "09:00-17:00", tue: "09:00-17:00", wed: "09:00-17:00", thu: "09:00-17:00", fri: "09:00-17:00", sat: closed, sun: closed }
queues:
  - { name: servicedesk, address: servicedesk@support.example, calendar: office, agents: agents@support.example }
  - { name: partners, address: partners@support.example, calendar: office, agents: partner-agents@support.example }
priorities:
  default: normal
  levels:
    - { name: urgent, description: Nothing works }
    - { name: normal, description: Anything else }
sla:
  firstResponseIs: agent-reply
  firstResponse:
    - { priority: urgent, within: 2h }
    - { priority: normal, within: 8h }
  resolution:
    - { priority: urgent, within: 8h }
    - { priority: normal, within: 24h }
  escalation:
    levels:
      - after: breach
        contacts: [{ name: Lead, role: Team lead, address: lead@support.example }]
      - after: 2h
        contacts: [{ name: Boss, role: Manager, address: boss@support.example }]
waitingOnCustomer: { pausesSla: true, remindAfter: 24h, closeAfter: 48h }
statuses:
  new: { en: Received }
  open: { en: Under review }
  in-progress: { en: In progress }
  waiting-on-customer: { en: Waiting for your reply }
  resolved: { en: Resolved }
  closed: { en: Closed }
`;

const sla = new SlaClock(parsePolicy(POLICY));
const NOW = at('2025-03-14T12:00:00Z'); // the Friday after: every first-response target of the first week is due

let next = 1000;
/** A ticket as stored: its facts, and the due times the lifecycle keeps on it. */
const stored = (overrides: Partial<Ticket>, clock = sla): Ticket =>
  withDueTimes(
    aTicket(next++, { queue: 'servicedesk', priority: 'normal', firstResponseDue: null, ...overrides }),
    clock,
  );

const timer = (
  kind: ActedTimer['kind'],
  target: ActedTimer['target'],
  level: number | null,
  when: string,
): ActedTimer => ({
  key: `${kind}-${target}-${level}`,
  kind,
  target,
  level,
  dueAt: when,
  at: when,
});

const report = (tickets: readonly Ticket[], options: Partial<Parameters<typeof slaReport>[2]> = {}) =>
  slaReport(tickets, sla, { since: null, queue: null, now: NOW, ...options });
const rowOf = (rows: readonly SlaReportRow[], queue: string, priority: string | null) => {
  const row = rows.find((candidate) => candidate.queue === queue && candidate.priority === priority);
  if (!row) throw new Error(`no row for ${queue}/${priority}`);
  return row;
};

describe('the SLA report: first-response attainment', () => {
  it('counts answers within the target as met, late answers and open tickets past due as breached', () => {
    const tickets = [
      // Monday 09:00 normal (due 17:00): answered at 16:00, met; answered Tuesday 10:00, breached.
      stored({ createdAt: '2025-03-03T09:00:00.000Z', firstRespondedAt: '2025-03-03T16:00:00.000Z' }),
      stored({ createdAt: '2025-03-03T09:00:00.000Z', firstRespondedAt: '2025-03-04T10:00:00.000Z' }),
      // Unanswered, due Monday 17:00: past due at NOW.
      stored({ createdAt: '2025-03-03T09:00:00.000Z' }),
      // Unanswered, created Friday 10:00 the week of NOW (due 18:00 ... Monday): still within.
      stored({ createdAt: '2025-03-14T10:00:00.000Z' }),
    ];

    const row = rowOf(report(tickets).rows, 'servicedesk', 'normal');

    expect(row.tickets).toBe(4);
    expect(row.firstResponse).toEqual({ met: 1, breached: 2, openWithin: 1, attainmentPercent: 33.3 });
  });

  it('counts an answer that also sets the ticket waiting on the customer by the time it came', () => {
    // The first answer at 10:00 opens a wait that has not ended: the stored due time is null (clock stopped).
    const ticket = stored({
      createdAt: '2025-03-03T09:00:00.000Z',
      firstRespondedAt: '2025-03-03T10:00:00.000Z',
      status: 'waiting-on-customer',
      pauses: [{ start: '2025-03-03T10:00:00.000Z', end: null }],
    });

    const row = rowOf(report([ticket]).rows, 'servicedesk', 'normal');

    expect(ticket.firstResponseDue).toBeNull();
    expect(row.firstResponse).toEqual({ met: 1, breached: 0, openWithin: 0, attainmentPercent: 100 });
  });

  it('counts a ticket closed unanswered as breached only when it was closed after its due time', () => {
    const closedBeforeDue = stored({
      createdAt: '2025-03-03T09:00:00.000Z',
      status: 'closed',
      closedAt: '2025-03-03T09:30:00.000Z',
    });
    const closedAfterDue = stored({
      createdAt: '2025-03-03T09:00:00.000Z',
      status: 'closed',
      closedAt: '2025-03-05T09:30:00.000Z',
    });

    const row = rowOf(report([closedBeforeDue, closedAfterDue]).rows, 'servicedesk', 'normal');

    expect(row.firstResponse).toEqual({ met: 0, breached: 1, openWithin: 0, attainmentPercent: 0 });
  });

  it('has no attainment when no ticket is decided yet', () => {
    const row = rowOf(report([stored({ createdAt: '2025-03-14T10:00:00.000Z' })]).rows, 'servicedesk', 'normal');

    expect(row.firstResponse).toEqual({ met: 0, breached: 0, openWithin: 1, attainmentPercent: null });
  });
});

describe('the SLA report: resolution attainment', () => {
  it('compares the resolution with the due time the ticket had when it was resolved', () => {
    // Urgent, Monday 09:00: resolution due 17:00 the same day.
    const urgent = { priority: 'urgent', createdAt: '2025-03-03T09:00:00.000Z' } as const;
    const tickets = [
      stored({ ...urgent, status: 'resolved', resolvedAt: '2025-03-03T16:59:00.000Z' }),
      stored({ ...urgent, status: 'resolved', resolvedAt: '2025-03-04T09:30:00.000Z' }),
      // Waited on the customer 10:00–12:00 Monday: due 19:00, that is Tuesday 11:00; resolved 10:30 Tuesday, met.
      stored({
        ...urgent,
        status: 'closed',
        pauses: [{ start: '2025-03-03T10:00:00.000Z', end: '2025-03-03T12:00:00.000Z' }],
        resolvedAt: '2025-03-04T10:30:00.000Z',
        closedAt: '2025-03-05T10:30:00.000Z',
      }),
      // Still open, waiting on the customer: the clock is stopped, so it is within.
      stored({
        ...urgent,
        status: 'waiting-on-customer',
        pauses: [{ start: '2025-03-03T10:00:00.000Z', end: null }],
      }),
      // Still open past its due time.
      stored({ ...urgent, status: 'in-progress' }),
    ];

    const row = rowOf(report(tickets).rows, 'servicedesk', 'urgent');

    expect(tickets[2]!.resolutionDue).toBe('2025-03-04T11:00:00.000Z');
    expect(row.resolution).toEqual({ met: 2, breached: 2, openWithin: 1, attainmentPercent: 50 });
  });
});

describe('the SLA report: breaches and escalations', () => {
  it('counts breach timers that acted, and targets missed without one, once each', () => {
    const monday = '2025-03-03T09:00:00.000Z';
    // Resolved Tuesday, in time (normal: resolution due Wednesday 17:00).
    const resolvedInTime = { status: 'resolved', resolvedAt: '2025-03-04T12:00:00.000Z' } as const;
    const tickets = [
      // Answered late after the breach timer fired: one breach, not two.
      stored({
        createdAt: monday,
        firstRespondedAt: '2025-03-04T10:00:00.000Z',
        ...resolvedInTime,
        timerLog: [timer('breach', 'firstResponse', null, '2025-03-03T17:00:00.000Z')],
      }),
      // Answered late before the timer fired: a breach all the same.
      stored({ createdAt: monday, firstRespondedAt: '2025-03-04T10:00:00.000Z', ...resolvedInTime }),
      // Both targets missed, both timers acted, then resolved late.
      stored({
        createdAt: monday,
        firstRespondedAt: '2025-03-04T10:00:00.000Z',
        status: 'resolved',
        resolvedAt: '2025-03-10T10:00:00.000Z',
        timerLog: [
          timer('breach', 'firstResponse', null, '2025-03-03T17:00:00.000Z'),
          timer('breach', 'resolution', null, '2025-03-05T17:00:00.000Z'),
        ],
      }),
      // Met in time, with a warning on its log: no breach.
      stored({
        createdAt: monday,
        firstRespondedAt: '2025-03-03T16:00:00.000Z',
        ...resolvedInTime,
        timerLog: [timer('warning', 'firstResponse', null, '2025-03-03T15:00:00.000Z')],
      }),
    ];
    // Unanswered and open past both due times, before any timer acted: two breaches.
    const forgotten = stored({ createdAt: monday });

    expect(rowOf(report(tickets).rows, 'servicedesk', 'normal').breaches).toBe(4);
    expect(rowOf(report([...tickets, forgotten]).rows, 'servicedesk', 'normal').breaches).toBe(6);
  });

  it('counts escalations by level, per priority and in the queue total', () => {
    const monday = '2025-03-03T09:00:00.000Z';
    const escalated = (priority: string, levels: number[]) =>
      stored({
        priority,
        createdAt: monday,
        firstRespondedAt: '2025-03-06T10:00:00.000Z',
        escalationLevel: Math.max(...levels),
        timerLog: levels.map((level) => timer('escalation', 'firstResponse', level, '2025-03-04T10:00:00.000Z')),
      });

    const rows = report([escalated('urgent', [1, 2]), escalated('urgent', [1]), escalated('normal', [1])]).rows;

    expect(rowOf(rows, 'servicedesk', 'urgent').escalations).toEqual([
      { level: 1, count: 2 },
      { level: 2, count: 1 },
    ]);
    expect(rowOf(rows, 'servicedesk', 'normal').escalations).toEqual([{ level: 1, count: 1 }]);
    expect(rowOf(rows, 'servicedesk', null).escalations).toEqual([
      { level: 1, count: 3 },
      { level: 2, count: 1 },
    ]);
  });
});

describe('the SLA report: first-response time in business hours', () => {
  it('counts only business hours, so a Friday-afternoon ticket answered Monday morning took two hours', () => {
    const ticket = stored({ createdAt: '2025-03-07T16:00:00.000Z', firstRespondedAt: '2025-03-10T10:00:00.000Z' });

    const row = rowOf(report([ticket]).rows, 'servicedesk', 'normal');

    expect(row.firstResponseBusinessHours).toEqual({ median: 2, p90: 2 });
    expect(row.firstResponse.met).toBe(1);
  });

  it('gives the nearest-rank median and 90th percentile, and the same over the queue', () => {
    // Answered 1 … 5 business hours after Monday 09:00, the 2 h one across the weekend.
    const tickets = [
      stored({ createdAt: '2025-03-03T09:00:00.000Z', firstRespondedAt: '2025-03-03T14:00:00.000Z' }),
      stored({ createdAt: '2025-03-03T09:00:00.000Z', firstRespondedAt: '2025-03-03T10:00:00.000Z' }),
      stored({ createdAt: '2025-03-07T16:00:00.000Z', firstRespondedAt: '2025-03-10T10:00:00.000Z' }),
      stored({ createdAt: '2025-03-03T09:00:00.000Z', firstRespondedAt: '2025-03-03T12:00:00.000Z' }),
      stored({ createdAt: '2025-03-03T09:00:00.000Z', firstRespondedAt: '2025-03-03T13:00:00.000Z' }),
      // Unanswered: no time of its own.
      stored({ createdAt: '2025-03-14T10:00:00.000Z' }),
    ];

    const rows = report(tickets).rows;

    expect(rowOf(rows, 'servicedesk', 'normal').firstResponseBusinessHours).toEqual({ median: 3, p90: 5 });
    expect(rowOf(rows, 'servicedesk', null).firstResponseBusinessHours).toEqual({ median: 3, p90: 5 });
  });

  it('leaves the time waiting on the customer out, when the policy stops the clock for it', () => {
    // Monday 09:00, waited 10:00–14:00, answered 15:00: 2 business hours on the clock.
    const facts = {
      createdAt: '2025-03-03T09:00:00.000Z',
      firstRespondedAt: '2025-03-03T15:00:00.000Z',
      pauses: [{ start: '2025-03-03T10:00:00.000Z', end: '2025-03-03T14:00:00.000Z' }],
    };
    const unpaused = new SlaClock(parsePolicy(POLICY.replace('pausesSla: true', 'pausesSla: false')));

    const paused = rowOf(report([stored(facts)]).rows, 'servicedesk', 'normal');
    const counted = rowOf(
      slaReport([stored(facts, unpaused)], unpaused, { since: null, queue: null, now: NOW }).rows,
      'servicedesk',
      'normal',
    );

    expect(paused.firstResponseBusinessHours.median).toBe(2);
    expect(counted.firstResponseBusinessHours.median).toBe(6);
  });

  it('takes the nearest rank: the smallest value with at least that share at or below it', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(values, 50)).toBe(5);
    expect(nearestRank(values, 90)).toBe(9);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([], 50)).toBeNull();
  });
});

describe('the SLA report: filters and shape', () => {
  const tickets = () => [
    stored({ createdAt: '2025-03-03T09:00:00.000Z' }),
    stored({ createdAt: '2025-03-10T09:00:00.000Z', priority: 'urgent' }),
    stored({ queue: 'partners', createdAt: '2025-03-10T09:00:00.000Z' }),
  ];

  it('has a row per priority in the policy order, then the queue total, for every queue', () => {
    const rows = report(tickets()).rows;

    expect(rows.map((row) => [row.queue, row.priority, row.tickets])).toEqual([
      ['servicedesk', 'urgent', 1],
      ['servicedesk', 'normal', 1],
      ['servicedesk', null, 2],
      ['partners', 'normal', 1],
      ['partners', null, 1],
    ]);
  });

  it('leaves out tickets created before --since', () => {
    const rows = report(tickets(), { since: at('2025-03-10T09:00:00Z') }).rows;

    expect(rows.map((row) => [row.queue, row.priority, row.tickets])).toEqual([
      ['servicedesk', 'urgent', 1],
      ['servicedesk', null, 1],
      ['partners', 'normal', 1],
      ['partners', null, 1],
    ]);
  });

  it('reports only the queue asked for', () => {
    const rows = report(tickets(), { queue: 'partners' }).rows;

    expect(rows.map((row) => row.queue)).toEqual(['partners', 'partners']);
  });

  it('refuses a queue the policy does not have, naming the valid ones', () => {
    let caught: unknown;
    try {
      report(tickets(), { queue: 'sales' });
    } catch (error) {
      caught = error;
    }

    expect(isAtendeError(caught) && caught.code).toBe('policy.unknownQueue');
    expect(isAtendeError(caught) && caught.details).toMatchObject({ valid: ['servicedesk', 'partners'] });
  });

  it('reports each queue with no tickets, no attainment and no times when there are none', () => {
    const rows = report([]).rows;

    expect(rows).toEqual(
      ['servicedesk', 'partners'].map((queue) => ({
        queue,
        priority: null,
        tickets: 0,
        firstResponse: { met: 0, breached: 0, openWithin: 0, attainmentPercent: null },
        resolution: { met: 0, breached: 0, openWithin: 0, attainmentPercent: null },
        breaches: 0,
        escalations: [],
        firstResponseBusinessHours: { median: null, p90: null },
      })),
    );
  });
});
