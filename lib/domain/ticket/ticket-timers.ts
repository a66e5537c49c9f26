import type { Policy } from '../policy/policy-schema.ts';
import type { SlaClock, SlaDeadline, SlaKind } from '../sla/sla-schedule.ts';
import { TIMER_KINDS, type Ticket } from './ticket.ts';
import { slaScheduleOf } from './ticket-lifecycle.ts';

/**
 * What a ticket's clock can still ask for, each at an instant:
 * - `warning`: the policy's `sla.warningAt` share of a target has elapsed (to the queue's agents);
 * - `breach`: the target's due time has passed unmet;
 * - `escalation`: a level of `sla.escalation` (level 1 after the breach, each next one its
 *   business-time delay after the one before), to that level's contacts;
 * - `reminder` and `auto-close`: `waitingOnCustomer.remindAfter` / `closeAfter` of wall-clock
 *   time after the ticket began waiting on the customer;
 * - `follow-ups`: the end of the follow-up throttle's window while it holds follow-ups
 *   (follow-up-window.ts), to send them to the agents in one mail; `firstHeld` is the oldest.
 */
export type TicketTimer =
  | {
      readonly kind: 'warning' | 'breach';
      readonly target: SlaKind;
      readonly level: null;
      readonly at: number;
    }
  | { readonly kind: 'escalation'; readonly target: SlaKind; readonly level: number; readonly at: number }
  | { readonly kind: 'reminder' | 'auto-close'; readonly target: null; readonly level: null; readonly at: number }
  | {
      readonly kind: 'follow-ups';
      readonly target: null;
      readonly level: null;
      readonly at: number;
      readonly firstHeld: number;
    };

export type TicketTimerKind = TicketTimer['kind'];

/**
 * A timer's identity on its ticket: `firstResponse.warning`, `resolution.escalation.2`,
 * `waiting.reminder.<start>`, `follow-ups.<window end>.<oldest held>`. What a ticket records once a
 * timer has acted, so the same timer firing twice (Scheduler delivers at least once), or a plan made
 * again, acts once. A wait's timers are keyed by the wait's start: the next wait has timers of its
 * own; a window's mail by the window and its oldest follow-up: one left held for the next mail has
 * a key of its own.
 */
export const timerKey = (timer: TicketTimer, waitingSince: string | null = null): string => {
  if (timer.kind === 'follow-ups') return `follow-ups.${new Date(timer.at).toISOString()}.${timer.firstHeld}`;
  if (timer.target === null) return `waiting.${timer.kind}.${waitingSince ?? ''}`;
  return timer.level === null ? `${timer.target}.${timer.kind}` : `${timer.target}.${timer.kind}.${timer.level}`;
};

/** What the plan reads of a ticket: its SLA facts, where it stands, and the timers that have acted. */
export type TimedTicket = Pick<
  Ticket,
  | 'queue'
  | 'priority'
  | 'plan'
  | 'channel'
  | 'region'
  | 'createdAt'
  | 'pauses'
  | 'status'
  | 'firstRespondedAt'
  | 'resolvedAt'
  | 'followUpWindow'
> & {
  /** timerKey of every timer that has acted on the ticket. */
  readonly timersActed: readonly string[];
};

/**
 * The timers a ticket still needs, earliest first: a pure function of the ticket and the
 * policy, so planning twice gives the same plan, and a stale timer is recognised by not being
 * in the plan any more (its target met, the ticket resolved, the wait over).
 *
 * - Follow-ups held by the throttle need their mail at the window's end, whatever the ticket's
 *   status: what the customer wrote reaches the agents even on a ticket resolved or closed since.
 * - A resolved or closed ticket needs no other.
 * - A target already met (first response sent) needs none of its timers.
 * - While the SLA clock is stopped (waiting on the customer, `pausesSla`), the SLA has no due
 *   times and so no timers; the wait has its reminder and auto-close instead.
 * - A timer that has acted (`timersActed`) is not planned again; one whose instant has passed
 *   but has not acted stays in the plan (it is due now: a late timer still fires).
 */
export function planTicketTimers(policy: Policy, sla: SlaClock, ticket: TimedTicket): TicketTimer[] {
  const timers: TicketTimer[] = followUpTimers(ticket);
  if (ticket.status === 'resolved' || ticket.status === 'closed') return acting(timers, ticket, null);
  const schedule = slaScheduleOf(ticket, sla);
  if (ticket.firstRespondedAt === null) timers.push(...targetTimers(policy, schedule.firstResponse));
  if (ticket.resolvedAt === null) timers.push(...targetTimers(policy, schedule.resolution));

  const since = waitingSince(ticket);
  if (since !== null) {
    const start = Date.parse(since);
    const { remindAfter, closeAfter } = policy.waitingOnCustomer;
    if (remindAfter !== undefined)
      timers.push({ kind: 'reminder', target: null, level: null, at: start + remindAfter * 60_000 });
    if (closeAfter !== undefined)
      timers.push({ kind: 'auto-close', target: null, level: null, at: start + closeAfter * 60_000 });
  }
  return acting(timers, ticket, since);
}

/** The timers that have not acted yet, earliest first. */
const acting = (timers: readonly TicketTimer[], ticket: TimedTicket, since: string | null): TicketTimer[] =>
  timers
    // A share of a target (75%) can fall between milliseconds: timers act on whole ones, never early.
    .map((timer) => ({ ...timer, at: Math.ceil(timer.at) }))
    .filter((timer) => !ticket.timersActed.includes(timerKey(timer, since)))
    .sort((a, b) => a.at - b.at || TIMER_ORDER.indexOf(a.kind) - TIMER_ORDER.indexOf(b.kind));

/** The mail of the follow-ups the throttle holds, at the end of their window. */
function followUpTimers(ticket: Pick<TimedTicket, 'followUpWindow'>): TicketTimer[] {
  const window = ticket.followUpWindow;
  const firstHeld = window?.held[0];
  if (window === null || firstHeld === undefined) return [];
  return [{ kind: 'follow-ups', target: null, level: null, at: Date.parse(window.until), firstHeld }];
}

/** Timers due at one instant act in this order: a breach is recorded before its first escalation. */
const TIMER_ORDER: readonly TicketTimerKind[] = TIMER_KINDS;

/** The plan's view of a stored ticket: the keys of the timers in its log. */
export const timedTicket = (ticket: Ticket): TimedTicket => ({
  ...ticket,
  timersActed: ticket.timerLog.map((acted) => acted.key),
});

/** When the ticket's current wait on the customer began (the key of its reminder and auto-close), or null. */
export function waitingSince(ticket: Pick<Ticket, 'status' | 'pauses'>): string | null {
  if (ticket.status !== 'waiting-on-customer') return null;
  const open = ticket.pauses.at(-1);
  return open !== undefined && open.end === null ? open.start : null;
}

/**
 * The name of the one schedule a ticket holds: its next timer, whatever kind it is. One schedule
 * per ticket keeps a typical life (new, answered, waiting, customer reply, resolved) at five
 * scheduler calls, each change moving the same schedule; a schedule per timer kind would create
 * and delete one at every change. The count of firings the ticket has taken is in the name: a
 * fired schedule deletes itself after it fired, and the next one, which that firing planned, must
 * not be the one it deletes. At most 64 characters of [0-9a-zA-Z-_.] (Scheduler's names).
 */
export const scheduleName = (ticketNumber: number, timerFirings: number): string =>
  `ticket-${ticketNumber}-timer-${timerFirings}`;

/** The timers of the plan due by `now`, in the order they act (a late firing catches up on all of them). */
export const dueTimers = (plan: readonly TicketTimer[], now: number): TicketTimer[] =>
  plan.filter((timer) => timer.at <= now);

function targetTimers(policy: Policy, deadline: SlaDeadline | null): TicketTimer[] {
  if (deadline === null || deadline.due === null) return [];
  const { kind: target, due, warningAt } = deadline;
  const timers: TicketTimer[] = [];
  if (policy.sla.warningAt !== undefined && warningAt !== null && warningAt < due)
    timers.push({ kind: 'warning', target, level: null, at: warningAt });
  timers.push({ kind: 'breach', target, level: null, at: due });
  for (const escalation of deadline.escalations) {
    if (escalation.at !== null) timers.push({ kind: 'escalation', target, level: escalation.level, at: escalation.at });
  }
  return timers;
}
