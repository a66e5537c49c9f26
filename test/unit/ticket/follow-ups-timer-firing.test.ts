import { describe, expect, it } from 'vitest';
import { SlaClock } from '../../../lib/domain/sla/sla-schedule.ts';
import { scheduleName } from '../../../lib/domain/ticket/ticket-timers.ts';
import { actOnDueTimers } from '../../../lib/domain/ticket/timer-firing.ts';
import { at, HOUR, shippedPolicy } from '../../support/policy-fixtures.ts';
import { aTicket } from '../../support/ticket-fixtures.ts';

const policy = shippedPolicy('default.yaml');
const sla = new SlaClock(policy);
const UNTIL = '2026-11-23T15:40:00.000Z';
const NOW = at(UNTIL);
/** A ticket answered long ago (no SLA timer is due), its window holding follow-ups 4, 5 and 6. */
const holding = aTicket(1000, {
  queue: 'servicedesk',
  priority: 'medium',
  createdAt: '2026-11-23T15:00:00.000Z',
  firstRespondedAt: '2026-11-23T15:05:00.000Z',
  status: 'in-progress',
  followUpWindow: { until: UNTIL, held: [4, 5, 6] },
  messageCount: 6,
});
const firing = (ticket: typeof holding, quotable?: (sequence: number) => boolean) => ({
  schedule: scheduleName(ticket.number, ticket.timerFirings),
  now: NOW,
  ...(quotable ? { quotable } : {}),
});

describe('the follow-ups timer acting', () => {
  it('releases every held follow-up, oldest first, empties the window and logs itself once', () => {
    const acting = actOnDueTimers(policy, sla, holding, firing(holding))!;

    expect(acting.releasedFollowUps).toEqual([4, 5, 6]);
    expect(acting.next.followUpWindow).toEqual({ until: UNTIL, held: [] });
    expect(acting.next.timerLog.map((acted) => acted.key)).toEqual([`follow-ups.${UNTIL}.4`]);
    // Fired again on the ticket it left: nothing is held, so nothing acts.
    expect(actOnDueTimers(policy, sla, acting.next, { schedule: 'ticket-1000-timer-0', now: NOW })).toBeNull();
  });

  it('leaves held what the caller could not quote, for a firing of its own that is due at once', () => {
    const acting = actOnDueTimers(
      policy,
      sla,
      holding,
      firing(holding, (sequence) => sequence < 6),
    )!;

    expect(acting.releasedFollowUps).toEqual([4, 5]);
    expect(acting.next.followUpWindow).toEqual({ until: UNTIL, held: [6] });
    const next = actOnDueTimers(policy, sla, acting.next, firing(acting.next))!;
    expect(next.releasedFollowUps).toEqual([6]);
    expect(next.next.timerLog.map((acted) => acted.key)).toEqual([`follow-ups.${UNTIL}.4`, `follow-ups.${UNTIL}.6`]);
  });

  it('acts on nothing when it can quote none yet: it is not logged, and a stale schedule changes nothing', () => {
    const nothing = () => false;

    expect(
      actOnDueTimers(policy, sla, holding, { schedule: 'ticket-1000-timer-7', now: NOW, quotable: nothing }),
    ).toBeNull();
    const current = actOnDueTimers(policy, sla, holding, firing(holding, nothing))!;
    expect(current.acted).toEqual([]);
    expect(current.next.followUpWindow).toEqual(holding.followUpWindow);
  });

  it('still sends the held follow-ups of a ticket it auto-closes at the same instant', () => {
    // Waiting on the customer since 48 h before the window's end: auto-close is due with the follow-ups.
    const waiting = {
      ...holding,
      status: 'waiting-on-customer' as const,
      pauses: [{ start: new Date(NOW - 48 * HOUR).toISOString(), end: null }],
      timerLog: [
        {
          key: `waiting.reminder.${new Date(NOW - 48 * HOUR).toISOString()}`,
          kind: 'reminder' as const,
          target: null,
          level: null,
          dueAt: new Date(NOW - 24 * HOUR).toISOString(),
          at: new Date(NOW - 24 * HOUR).toISOString(),
        },
      ],
    };

    const acting = actOnDueTimers(policy, sla, waiting, firing(waiting))!;

    expect(acting.acted.map(({ timer }) => timer.kind)).toEqual(['auto-close', 'follow-ups']);
    expect(acting.next.status).toBe('closed');
    expect(acting.releasedFollowUps).toEqual([4, 5, 6]);
  });
});
