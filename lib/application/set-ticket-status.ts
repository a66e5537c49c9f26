import { AtendeError } from '../domain/atende-error.ts';
import type { TicketStatus } from '../domain/policy/policy-schema.ts';
import { SETTABLE_STATUSES, type Ticket, type TicketMessage } from '../domain/ticket/ticket.ts';
import { changeStatus } from '../domain/ticket/ticket-lifecycle.ts';
import { type ChangeOutcome, changeTicket } from './change-ticket.ts';
import { conversationThread, NotificationMail } from './notification-mail.ts';
import type { MailToSend, TicketEvent, TicketKernelDeps } from './ticket-event.ts';

/** Someone on the support team moves a ticket (the CLI; agents' commands come through their mail). */
export interface StatusRequest {
  readonly ticketNumber: number;
  readonly status: TicketStatus;
  /** Resolving: a note for the customer, quoted in the resolution summary. */
  readonly note?: string | null;
}

/**
 * Moves a ticket to a status through the kernel: the SLA clock pauses or resumes with it, its
 * timers are planned again, and resolving sends the requester the resolution summary (with the
 * satisfaction survey where the policy has `survey.onResolution`). The same status again changes
 * nothing and sends nothing. `store.ticketNotFound` for an unknown ticket; `cli.invalidArgument`
 * for `new`.
 */
export async function setTicketStatus(
  deps: TicketKernelDeps,
  event: TicketEvent,
  request: StatusRequest,
): Promise<ChangeOutcome<TicketStatus>> {
  if (!SETTABLE_STATUSES.includes(request.status))
    throw new AtendeError('cli.invalidArgument', `a ticket cannot be set to "${request.status}"`, {
      details: { status: request.status, valid: SETTABLE_STATUSES },
    });
  const ticket = await deps.store.getTicket(request.ticketNumber);
  if (ticket === null)
    throw new AtendeError('store.ticketNotFound', `there is no ticket #${request.ticketNumber}`, {
      details: { ticketNumber: request.ticketNumber },
    });
  const messages = await deps.store.listMessages(ticket.number);
  return changeTicket(deps, event, ticket, (current) => {
    if (current.status === request.status) return null;
    const next = changeStatus(current, request.status, event.now, deps.sla);
    return {
      next,
      message: null,
      mail: resolutionMail(deps, current, next, messages, request.note ?? null),
      result: next.status,
    };
  });
}

/**
 * The requester's resolution summary when a change resolves a ticket (the CLI, an agent's
 * `#status solved`), with the survey's signed links where the policy asks for them; nothing
 * for any other change.
 */
export function resolutionMail(
  deps: TicketKernelDeps,
  before: Ticket,
  after: Ticket,
  messages: readonly TicketMessage[],
  note: string | null,
): MailToSend[] {
  if (after.status !== 'resolved' || before.status === 'resolved' || after.resolvedAt === null) return [];
  const notifications = new NotificationMail(deps.policy, deps.renderer);
  const survey = deps.policy.survey.onResolution ? deps.surveyLinks.linksFor(after) : null;
  const resolution = { openedAt: after.createdAt, resolvedAt: after.resolvedAt, note };
  return [
    {
      purpose: 'resolution-summary',
      author: 'system',
      mail: notifications.resolutionSummary(after, conversationThread(messages), resolution, survey),
    },
  ];
}
