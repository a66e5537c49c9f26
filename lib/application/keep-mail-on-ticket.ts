import { keptWords } from '../domain/ticket/customer-words.ts';
import type { Ticket } from '../domain/ticket/ticket.ts';
import { type ChangeOutcome, changeTicket } from './change-ticket.ts';
import { type InboundMessageFacts, inboundMessage } from './inbound-message.ts';
import { NotificationMail, type ThreadHeaders } from './notification-mail.ts';
import type { SenderVerdicts } from './ports/notification-renderer.ts';
import { eventTime, type TicketEvent, type TicketKernelDeps } from './ticket-event.ts';

/** A mail kept on a ticket without acting on it. */
export interface KeptMail {
  readonly from: string;
  readonly fromName: string | null;
  readonly subject: string;
  readonly text: string;
  readonly message: InboundMessageFacts;
}

/** An automatic answer to one of our mails (an out-of-office) or a bounce of one: kept on the ticket, nobody told. */
export async function keepAutomaticAnswer(
  deps: TicketKernelDeps,
  event: TicketEvent,
  ticket: Ticket,
  kind: 'auto-reply' | 'bounce',
  kept: KeptMail,
): Promise<ChangeOutcome<null>> {
  const words = keptWords(kept);
  const at = eventTime(event);
  return changeTicket(deps, event, ticket, (current) => ({
    next: { ...current, updatedAt: at },
    message: inboundMessage(kept.message, { at, author: 'system', purpose: kind, ...words }),
    mail: [],
    result: null,
  }));
}

/**
 * Mail that claims a staff address but failed sender authentication: never relayed and it
 * changes nothing (no status, no first response). It is kept on the ticket, flagged
 * `unauthenticated-staff`, and the queue's agents are told, so a real agent whose mail failed
 * can answer again, and a forgery is seen.
 */
export async function keepUnauthenticatedStaffMail(
  deps: TicketKernelDeps,
  event: TicketEvent,
  ticket: Ticket,
  kept: KeptMail,
  context: { readonly reply: ThreadHeaders; readonly verdicts: SenderVerdicts },
): Promise<ChangeOutcome<null>> {
  const words = keptWords(kept);
  const at = eventTime(event);
  const notifications = new NotificationMail(deps.policy, deps.renderer);
  return changeTicket(deps, event, ticket, (current) => {
    const next: Ticket = {
      ...current,
      flags: [...new Set([...current.flags, 'unauthenticated-staff' as const])],
      updatedAt: at,
    };
    return {
      next,
      message: inboundMessage(kept.message, { at, author: 'unverified', purpose: 'unauthenticated-staff', ...words }),
      mail: [
        {
          purpose: 'agent-unauthenticated-staff',
          author: 'system',
          mail: notifications.agentUnauthenticatedStaff(next, context.reply, {
            from: kept.from,
            fromName: kept.fromName,
            at,
            verdicts: context.verdicts,
          }),
        },
      ],
      result: null,
    };
  });
}
