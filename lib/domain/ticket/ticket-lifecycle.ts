import type { Pause } from '../calendar/business-calendar.ts';
import type { TicketStatus } from '../policy/policy-schema.ts';
import type { SlaClock, SlaSchedule } from '../sla/sla-schedule.ts';
import type { Ticket, TicketFlag, TicketPause } from './ticket.ts';

/**
 * How a ticket changes: pure functions from a ticket and what happened (with its time)
 * to the ticket's next state. Every change keeps the SLA due times in step with pauses.
 */

/** What a new ticket is made of: the ticket's own facts, plus the times the SLA clock needs as instants. */
export interface NewTicketFacts
  extends Pick<
    Ticket,
    | 'number'
    | 'queue'
    | 'requester'
    | 'requesterName'
    | 'participants'
    | 'subject'
    | 'normalizedSubject'
    | 'priority'
    | 'plan'
    | 'region'
    | 'channel'
    | 'locale'
    | 'flags'
  > {
  /** When the customer's message arrived: the SLA clock's reference. */
  readonly receivedAt: number;
  /** Set when the acknowledgement counts as the first response and one is being sent. */
  readonly firstRespondedAt: number | null;
}

const iso = (instant: number): string => new Date(instant).toISOString();
const union = <T>(a: readonly T[], b: readonly T[]): T[] => [...new Set([...a, ...b])];

/** A new ticket, status `new`, with its SLA due times. */
export function newTicket(facts: NewTicketFacts, sla: SlaClock): Ticket {
  const at = iso(facts.receivedAt);
  const ticket: Ticket = {
    number: facts.number,
    queue: facts.queue,
    requester: facts.requester.toLowerCase(),
    requesterName: facts.requesterName,
    participants: facts.participants.map((address) => address.toLowerCase()),
    subject: facts.subject,
    normalizedSubject: facts.normalizedSubject,
    status: 'new',
    priority: facts.priority,
    plan: facts.plan,
    region: facts.region,
    channel: facts.channel,
    locale: facts.locale,
    createdAt: at,
    updatedAt: at,
    lastCustomerMessageAt: at,
    firstResponseDue: null,
    resolutionDue: null,
    firstRespondedAt: facts.firstRespondedAt === null ? null : iso(facts.firstRespondedAt),
    resolvedAt: null,
    closedAt: null,
    pauses: [],
    escalationLevel: 0,
    timerLog: [],
    timerFirings: 0,
    satisfaction: null,
    flags: [...new Set(facts.flags)],
    duplicateOf: null,
    followUpWindow: null,
    messageCount: 1,
    assignee: null,
    version: 0,
  };
  return withDueTimes(ticket, sla);
}

/**
 * Whether mail to a closed ticket still belongs to it: within the policy's reopen window of its
 * closing a reply reopens it; after that (or for a ticket closed as a duplicate) mail opens a new one.
 * An open ticket always takes its mail.
 */
export function takesMailAt(
  ticket: Pick<Ticket, 'status' | 'closedAt' | 'duplicateOf'>,
  now: number,
  reopenWithinMinutes: number,
): boolean {
  if (ticket.status !== 'closed') return true;
  if (ticket.closedAt === null || ticket.duplicateOf !== null) return false;
  return now - Date.parse(ticket.closedAt) <= reopenWithinMinutes * 60_000;
}

/** The requester or a participant wrote again: a waiting, resolved or (within the reopen window) closed ticket is open again. */
export function recordCustomerMessage(
  ticket: Ticket,
  event: { at: number; participants: readonly string[]; flags: readonly TicketFlag[] },
  sla: SlaClock,
): Ticket {
  const reopened: TicketStatus =
    ticket.status === 'waiting-on-customer' || ticket.status === 'resolved' || ticket.status === 'closed'
      ? 'open'
      : ticket.status;
  const moved = changeStatus(ticket, reopened, event.at, sla);
  return {
    ...moved,
    participants: union(
      ticket.participants,
      event.participants.map((address) => address.toLowerCase()),
    ).filter((address) => address !== ticket.requester),
    flags: union(ticket.flags, event.flags),
    lastCustomerMessageAt: iso(event.at),
    messageCount: ticket.messageCount + 1,
    updatedAt: iso(event.at),
  };
}

/**
 * An agent answered. Where the policy counts a human answer as the first response, the
 * first one sets `firstRespondedAt`. Without a `#status` command the ticket is in progress.
 */
export function recordAgentReply(
  ticket: Ticket,
  event: { at: number; status: TicketStatus | null; countsAsFirstResponse: boolean },
  sla: SlaClock,
): Ticket {
  const status = event.status ?? (ticket.status === 'new' || ticket.status === 'open' ? 'in-progress' : ticket.status);
  const moved = changeStatus(ticket, status, event.at, sla);
  return {
    ...moved,
    firstRespondedAt: ticket.firstRespondedAt ?? (event.countsAsFirstResponse ? iso(event.at) : null),
    messageCount: ticket.messageCount + 1,
    updatedAt: iso(event.at),
  };
}

/**
 * Moves a ticket to a status. Waiting on the customer opens a pause of the SLA clock;
 * leaving it ends the pause. Resolving and closing stamp their time; reopening clears it.
 */
export function changeStatus(ticket: Ticket, status: TicketStatus, at: number, sla: SlaClock): Ticket {
  if (status === ticket.status) return ticket;
  let pauses: TicketPause[] = [...ticket.pauses];
  const open = pauses.at(-1);
  if (open && open.end === null && status !== 'waiting-on-customer')
    pauses = [...pauses.slice(0, -1), { start: open.start, end: iso(at) }];
  if (status === 'waiting-on-customer' && !(open && open.end === null))
    pauses = [...pauses, { start: iso(at), end: null }];
  const next: Ticket = {
    ...ticket,
    status,
    pauses,
    resolvedAt: status === 'resolved' ? iso(at) : status === 'closed' ? ticket.resolvedAt : null,
    closedAt: status === 'closed' ? iso(at) : null,
    updatedAt: iso(at),
  };
  return withDueTimes(next, sla);
}

/**
 * An agent changed the ticket's priority or plan (`#priority`, `#plan`): its targets are those
 * of the new terms, counted from when it was opened, pauses left out, so its due times (and so
 * its timers) are recomputed. The same terms again change nothing.
 */
export function changeTerms(
  ticket: Ticket,
  terms: { readonly priority: string | null; readonly plan: string | null },
  at: number,
  sla: SlaClock,
): Ticket {
  const priority = terms.priority ?? ticket.priority;
  const plan = terms.plan ?? ticket.plan;
  if (priority === ticket.priority && plan === ticket.plan) return ticket;
  return withDueTimes({ ...ticket, priority, plan, updatedAt: iso(at) }, sla);
}

/** Recomputes first-response and resolution due times from the ticket's facts and pauses. */
export function withDueTimes(ticket: Ticket, sla: SlaClock): Ticket {
  const schedule = slaScheduleOf(ticket, sla);
  const due = (instant: number | null | undefined) => (instant === null || instant === undefined ? null : iso(instant));
  return {
    ...ticket,
    firstResponseDue: due(schedule.firstResponse?.due),
    resolutionDue: due(schedule.resolution?.due),
  };
}

/** The ticket's SLA schedule (due times, warnings, escalation times) from its facts and pauses. */
export function slaScheduleOf(
  ticket: Pick<Ticket, 'queue' | 'priority' | 'plan' | 'channel' | 'region' | 'createdAt' | 'pauses'>,
  sla: SlaClock,
): SlaSchedule {
  return sla.schedule({
    queue: ticket.queue,
    priority: ticket.priority,
    plan: ticket.plan ?? undefined,
    channel: ticket.channel,
    region: ticket.region ?? undefined,
    receivedAt: Date.parse(ticket.createdAt),
    pauses: pausesOf(ticket),
  });
}

/** The ticket's waits as the SLA clock reads them: instants, `end: null` while still waiting. */
export const pausesOf = (ticket: Pick<Ticket, 'pauses'>): Pause[] =>
  ticket.pauses.map((pause) => ({
    start: Date.parse(pause.start),
    end: pause.end === null ? null : Date.parse(pause.end),
  }));
