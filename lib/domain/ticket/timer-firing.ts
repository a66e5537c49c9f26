import type { Policy } from '../policy/policy-schema.ts';
import type { SlaClock } from '../sla/sla-schedule.ts';
import { type Quotable, releaseHeldFollowUps } from './follow-up-window.ts';
import type { ActedTimer, Ticket } from './ticket.ts';
import { changeStatus } from './ticket-lifecycle.ts';
import {
  dueTimers,
  planTicketTimers,
  scheduleName,
  type TicketTimer,
  timedTicket,
  timerKey,
  waitingSince,
} from './ticket-timers.ts';

/**
 * Scheduler fires with one-minute precision and never early, and the instant is rounded up to the
 * second; a Lambda's clock may still run a little behind Scheduler's. A timer this close to due is due.
 */
export const FIRING_TOLERANCE_MS = 60_000;

/** What a timer firing does to a ticket: the timers that act, in order, and the ticket after them. */
export interface TimersActing {
  readonly next: Ticket;
  /** Each acting timer with the wait it belongs to (reminder, auto-close), in the order they act. */
  readonly acted: readonly { readonly timer: TicketTimer; readonly entry: ActedTimer }[];
  /** Whether the schedule that fired was the ticket's current one (it deletes itself: the next takes a new name). */
  readonly firedCurrent: boolean;
  /** The held follow-ups whose mail is owed now (a `follow-ups` timer acted), oldest first. */
  readonly releasedFollowUps: readonly number[];
}

/**
 * A timer fired for a ticket at `now`. Every timer of the ticket's plan due by then acts, in the
 * plan's order (a late or stale firing catches up on all of them; one not in the plan any more
 * acts on nothing: the target was met, the wait ended, the level was sent). Acting records the
 * timer in the ticket's log, raises its escalation level, for auto-close closes the ticket, and for
 * follow-ups empties the throttle's window of the follow-ups the caller can quote (`quotable`: it
 * read the messages; one held since stays for the next firing, which is due at once); what to send
 * is the caller's to build from `acted` and `releasedFollowUps`. Returns null when nothing changes:
 * no timer is due and the schedule that fired is not the ticket's current one.
 */
export function actOnDueTimers(
  policy: Policy,
  sla: SlaClock,
  ticket: Ticket,
  firing: { readonly schedule: string; readonly now: number; readonly quotable?: Quotable },
): TimersActing | null {
  const plan = planTicketTimers(policy, sla, timedTicket(ticket));
  const due = dueTimers(plan, firing.now + FIRING_TOLERANCE_MS);
  const firedCurrent = firing.schedule === scheduleName(ticket.number, ticket.timerFirings);
  if (due.length === 0 && !firedCurrent) return null;

  const at = new Date(firing.now).toISOString();
  const since = waitingSince(ticket);
  let next: Ticket = { ...ticket, timerFirings: ticket.timerFirings + (firedCurrent ? 1 : 0) };
  const acted: { timer: TicketTimer; entry: ActedTimer }[] = [];
  const releasedFollowUps: number[] = [];
  let closed = false;
  for (const timer of due) {
    // Closed by auto-close: nothing after it in the plan is needed any more but the held follow-ups' mail.
    if (closed && timer.kind !== 'follow-ups') continue;
    if (timer.kind === 'follow-ups') {
      const release = releaseHeldFollowUps(next.followUpWindow ?? { until: at, held: [] }, firing.quotable ?? all);
      // None the caller can quote yet: the timer stays due, and the firing's next schedule comes at once.
      if (release.released.length === 0) continue;
      next = { ...next, followUpWindow: release.window };
      releasedFollowUps.push(...release.released);
    }
    const entry: ActedTimer = {
      key: timerKey(timer, since),
      kind: timer.kind,
      target: timer.target,
      level: timer.level,
      dueAt: new Date(timer.at).toISOString(),
      at,
    };
    next = {
      ...next,
      timerLog: [...next.timerLog, entry],
      escalationLevel: timer.kind === 'escalation' ? Math.max(next.escalationLevel, timer.level) : next.escalationLevel,
    };
    acted.push({ timer, entry });
    if (timer.kind === 'auto-close') {
      next = changeStatus(next, 'closed', firing.now, sla);
      closed = true;
    }
  }
  if (acted.length === 0 && !firedCurrent) return null;
  return { next, acted, firedCurrent, releasedFollowUps };
}

const all: Quotable = () => true;
