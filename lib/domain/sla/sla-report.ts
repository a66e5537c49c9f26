import { isOpenStatus, type SLA_TARGETS, type Ticket } from '../ticket/ticket.ts';
import { pausesOf, slaScheduleOf } from '../ticket/ticket-lifecycle.ts';
import type { SlaClock, SlaDeadline } from './sla-schedule.ts';

/**
 * `atende sla report`: how the SLA was kept, per queue and priority. Pure: the tickets, the
 * policy's clock and "now" are passed in. One schedule per ticket, so linear in the tickets
 * (plus the sort of each group's first-response times for the percentiles).
 */

export interface SlaReportOptions {
  /** Only tickets created at or after this instant; null: every ticket. */
  readonly since: number | null;
  /** Only this queue; null: every queue of the policy. */
  readonly queue: string | null;
  readonly now: number;
}

/** How one target (first response or resolution) fared over a group of tickets. */
export interface TargetAttainment {
  readonly met: number;
  /** Missed: answered or resolved after the due time, or still open past it. */
  readonly breached: number;
  /** Not decided yet: still open and not past its due time (or its clock stopped). */
  readonly openWithin: number;
  /** met ÷ (met + breached) as a percentage, one decimal; null when none is decided. */
  readonly attainmentPercent: number | null;
}

export interface EscalationCount {
  readonly level: number;
  /** Escalation timers of this level that acted, over both targets. */
  readonly count: number;
}

export interface SlaReportRow {
  readonly queue: string;
  /** null: the queue's total over every priority. */
  readonly priority: string | null;
  readonly tickets: number;
  readonly firstResponse: TargetAttainment;
  readonly resolution: TargetAttainment;
  /** Breach timers that acted, plus targets breached without one (answered late before the timer fired). */
  readonly breaches: number;
  /** By level, lowest first; levels no timer reached are left out. */
  readonly escalations: readonly EscalationCount[];
  /** Business hours from the clock's start to the first response, pauses left out (answered tickets only). */
  readonly firstResponseBusinessHours: { readonly median: number | null; readonly p90: number | null };
}

export interface SlaReport {
  readonly since: number | null;
  readonly queue: string | null;
  readonly now: number;
  /** Per queue (in the policy's order): its priorities (in the policy's order), then its total. */
  readonly rows: readonly SlaReportRow[];
}

type SlaTarget = (typeof SLA_TARGETS)[number];
/** What became of one target of one ticket; null when no target applies or the ticket ended before it was due. */
type TargetOutcome = 'met' | 'breached' | 'openWithin' | null;

interface TicketAssessment {
  readonly firstResponse: TargetOutcome;
  readonly resolution: TargetOutcome;
  readonly breaches: number;
  readonly escalationLevels: readonly number[];
  /** Business milliseconds to the first response; null when not answered. */
  readonly firstResponseTime: number | null;
}

const HOUR = 3_600_000;
const instant = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/** The SLA report of `tickets` under the policy `sla` follows. Throws `policy.unknownQueue` for an unknown queue. */
export function slaReport(tickets: readonly Ticket[], sla: SlaClock, options: SlaReportOptions): SlaReport {
  // Names the valid queues when the asked one is not among them.
  if (options.queue !== null) sla.calendarFor(options.queue);
  const queues = sla.policy.queues
    .map((queue) => queue.name)
    .filter((name) => options.queue === null || name === options.queue);
  const groups = new Map(queues.map((queue) => [queue, new Map<string, Tally>()]));
  for (const ticket of tickets) {
    const byPriority = groups.get(ticket.queue);
    if (!byPriority) continue;
    if (options.since !== null && Date.parse(ticket.createdAt) < options.since) continue;
    const tally = byPriority.get(ticket.priority) ?? new Tally();
    byPriority.set(ticket.priority, tally);
    tally.add(assessTicket(ticket, sla, options.now));
  }

  const priorityOrder = sla.policy.priorities.levels.map((level) => level.name);
  const rank = (priority: string) => {
    const index = priorityOrder.indexOf(priority);
    return index < 0 ? priorityOrder.length : index;
  };
  const rows: SlaReportRow[] = [];
  for (const [queue, byPriority] of groups) {
    const priorities = [...byPriority.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    for (const priority of priorities) rows.push(byPriority.get(priority)!.row(queue, priority));
    rows.push(Tally.merged([...byPriority.values()]).row(queue, null));
  }
  return { since: options.since, queue: options.queue, now: options.now, rows };
}

function assessTicket(ticket: Ticket, sla: SlaClock, now: number): TicketAssessment {
  const schedule = slaScheduleOf(ticket, sla);
  const calendar = sla.calendarFor(ticket.queue, ticket.region ?? undefined);
  const pauses = sla.countedPauses(pausesOf(ticket));
  const open = isOpenStatus(ticket.status);
  const ended = open ? null : instant(ticket.resolvedAt ?? ticket.closedAt);

  const respondedAt = instant(ticket.firstRespondedAt);
  const firstResponseTime =
    respondedAt === null ? null : calendar.businessTimeBetween(schedule.clockStartsAt, respondedAt, pauses);
  const firstResponse = firstResponseOutcome(ticket, schedule.firstResponse, firstResponseTime, ended, now);
  const resolution = resolutionOutcome(ticket, schedule.resolution, ended, now);

  const recordedBreaches = new Set<SlaTarget>();
  let breaches = 0;
  const escalationLevels: number[] = [];
  for (const timer of ticket.timerLog) {
    if (timer.kind === 'breach') {
      breaches += 1;
      if (timer.target !== null) recordedBreaches.add(timer.target);
    } else if (timer.kind === 'escalation' && timer.level !== null) {
      escalationLevels.push(timer.level);
    }
  }
  // A target missed before its breach timer fired (answered late, or the timer still on its way) is a breach all the same.
  if (firstResponse === 'breached' && !recordedBreaches.has('firstResponse')) breaches += 1;
  if (resolution === 'breached' && !recordedBreaches.has('resolution')) breaches += 1;
  return { firstResponse, resolution, breaches, escalationLevels, firstResponseTime };
}

/**
 * Answered: met when the business time to the answer is within the target's. The stored due
 * time is not used for that: a first answer that also sets the ticket waiting on the customer
 * stops the clock, and the stored due time with it.
 */
function firstResponseOutcome(
  ticket: Ticket,
  deadline: SlaDeadline | null,
  businessTime: number | null,
  ended: number | null,
  now: number,
): TargetOutcome {
  if (deadline === null) return null;
  if (businessTime !== null) return businessTime <= Math.round(deadline.businessMinutes * 60_000) ? 'met' : 'breached';
  const due = instant(ticket.firstResponseDue);
  // Resolved or closed without an answer: missed if it ended after the due time, else it never came due.
  if (ended !== null) return due !== null && ended > due ? 'breached' : null;
  return due !== null && now > due ? 'breached' : 'openWithin';
}

/** The resolution (or, closed without one, the close) against the due time the ticket had then. */
function resolutionOutcome(
  ticket: Ticket,
  deadline: SlaDeadline | null,
  ended: number | null,
  now: number,
): TargetOutcome {
  if (deadline === null) return null;
  const due = instant(ticket.resolutionDue);
  if (ended !== null) return due === null ? null : ended <= due ? 'met' : 'breached';
  return due !== null && now > due ? 'breached' : 'openWithin';
}

/** The counts of one group of tickets as they are added. */
class Tally {
  tickets = 0;
  breaches = 0;
  readonly firstResponse = { met: 0, breached: 0, openWithin: 0 };
  readonly resolution = { met: 0, breached: 0, openWithin: 0 };
  readonly escalations = new Map<number, number>();
  readonly firstResponseTimes: number[] = [];

  add(ticket: TicketAssessment): void {
    this.tickets += 1;
    this.breaches += ticket.breaches;
    if (ticket.firstResponse !== null) this.firstResponse[ticket.firstResponse] += 1;
    if (ticket.resolution !== null) this.resolution[ticket.resolution] += 1;
    for (const level of ticket.escalationLevels) this.escalations.set(level, (this.escalations.get(level) ?? 0) + 1);
    if (ticket.firstResponseTime !== null) this.firstResponseTimes.push(ticket.firstResponseTime);
  }

  static merged(tallies: readonly Tally[]): Tally {
    const total = new Tally();
    for (const tally of tallies) {
      total.tickets += tally.tickets;
      total.breaches += tally.breaches;
      for (const key of ['met', 'breached', 'openWithin'] as const) {
        total.firstResponse[key] += tally.firstResponse[key];
        total.resolution[key] += tally.resolution[key];
      }
      for (const [level, count] of tally.escalations)
        total.escalations.set(level, (total.escalations.get(level) ?? 0) + count);
      for (const time of tally.firstResponseTimes) total.firstResponseTimes.push(time);
    }
    return total;
  }

  row(queue: string, priority: string | null): SlaReportRow {
    const times = [...this.firstResponseTimes].sort((a, b) => a - b);
    return {
      queue,
      priority,
      tickets: this.tickets,
      firstResponse: attainment(this.firstResponse),
      resolution: attainment(this.resolution),
      breaches: this.breaches,
      escalations: [...this.escalations].sort(([a], [b]) => a - b).map(([level, count]) => ({ level, count })),
      firstResponseBusinessHours: { median: hours(nearestRank(times, 50)), p90: hours(nearestRank(times, 90)) },
    };
  }
}

function attainment(counts: { met: number; breached: number; openWithin: number }): TargetAttainment {
  const decided = counts.met + counts.breached;
  return {
    ...counts,
    attainmentPercent: decided === 0 ? null : Math.round((counts.met / decided) * 1000) / 10,
  };
}

/** The nearest-rank percentile of sorted values: the smallest value with at least `percent` % of them at or below it. */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)]!;
}

/** Business milliseconds as hours, to the hundredth (36 seconds). */
const hours = (milliseconds: number | null): number | null =>
  milliseconds === null ? null : Math.round((milliseconds / HOUR) * 100) / 100;
