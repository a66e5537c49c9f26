import { isAtendeError } from '../domain/atende-error.ts';
import type { Policy } from '../domain/policy/policy-schema.ts';
import type { SlaClock } from '../domain/sla/sla-schedule.ts';
import type { Ticket } from '../domain/ticket/ticket.ts';
import { planTicketTimers, scheduleName, timedTicket } from '../domain/ticket/ticket-timers.ts';
import type { OwedTimers, TicketStore } from './ports/ticket-store.ts';
import type { ScheduledTimer, TimerScheduler } from './ports/timer-scheduler.ts';

export interface TicketScheduleDeps {
  readonly policy: Policy;
  readonly sla: SlaClock;
  readonly store: TicketStore;
  readonly timers: TimerScheduler;
}

/**
 * The one schedule a ticket needs: its plan's next timer (ticket-timers.ts), in its calendar's
 * zone, or null when it needs none (resolved, closed, nothing left to act on).
 */
export function ticketSchedule(
  deps: Pick<TicketScheduleDeps, 'policy' | 'sla'>,
  ticket: Ticket,
): ScheduledTimer | null {
  const next = planTicketTimers(deps.policy, deps.sla, timedTicket(ticket))[0];
  if (next === undefined) return null;
  const name = scheduleName(ticket.number, ticket.timerFirings);
  return {
    name,
    at: next.at,
    timeZone: deps.sla.calendarFor(ticket.queue, ticket.region ?? undefined).timeZone,
    firing: {
      schedule: name,
      ticketNumber: ticket.number,
      kind: next.kind,
      target: next.target,
      level: next.level,
      dueAt: new Date(next.at).toISOString(),
    },
  };
}

const sameSchedule = (a: ScheduledTimer | null, b: ScheduledTimer | null): boolean =>
  a === null || b === null
    ? a === b
    : a.name === b.name &&
      a.at === b.at &&
      a.timeZone === b.timeZone &&
      JSON.stringify(a.firing) === JSON.stringify(b.firing);

/**
 * Settles "re-plan timers": reads the ticket as it is now (not as the change saw it, so a late or
 * repeated settle cannot bring back a timer a later change moved) and makes the scheduler hold its
 * next timer: nothing when that is what it held, a move of the same schedule, a new one, or none.
 * Returns the number of scheduler calls asked for (the bench counts them).
 */
export async function settleTimers(deps: TicketScheduleDeps, owed: OwedTimers): Promise<number> {
  const ticket = await deps.store.getTicket(owed.ticketNumber);
  const wanted = ticket === null ? null : ticketSchedule(deps, ticket);
  const held = owed.scheduled;
  if (sameSchedule(wanted, held)) return 0;
  if (wanted === null) {
    if (held === null) return 0;
    await deps.timers.remove(held.name);
    return 1;
  }
  if (held?.name === wanted.name) await deps.timers.move(wanted);
  else await deps.timers.put(wanted);
  return 1;
}

/**
 * Scheduler failures that trying again cannot cure: a request Scheduler refuses as malformed, a
 * name it cannot hold. The settle is given up (the ticket's next change or firing plans again);
 * throttling, quotas, 5xx and timeouts stay owed and the event is retried.
 */
export const isPermanentTimerFailure = (error: unknown): boolean =>
  isAtendeError(error, 'timer.invalidName') || (error instanceof Error && error.name === 'ValidationException');
