import { markWithheld } from '../domain/attachments/attachment-forwarding.ts';
import { isThrottledFollowUp } from '../domain/ticket/acknowledgement-rules.ts';
import { readCustomerWords } from '../domain/ticket/customer-words.ts';
import { admitParticipants, participantRules } from '../domain/ticket/participants.ts';
import { type ThreadedVia, threadClaimKeys } from '../domain/ticket/threading.ts';
import type { Ticket, TicketFlag } from '../domain/ticket/ticket.ts';
import { recordCustomerMessage } from '../domain/ticket/ticket-lifecycle.ts';
import { forwardedAttachments } from './attachment-mail.ts';
import { type ChangeOutcome, changeTicket } from './change-ticket.ts';
import { type InboundMessageFacts, inboundMessage } from './inbound-message.ts';
import { NotificationMail, type ThreadHeaders } from './notification-mail.ts';
import { eventTime, type MailToSend, type TicketEvent, type TicketKernelDeps } from './ticket-event.ts';

/** A customer's message for a ticket they may add to (requester or participant), from any channel. */
export interface CustomerMessageRequest {
  readonly author: string;
  readonly authorName: string | null;
  /** As written: masked and capped here. */
  readonly subject: string;
  readonly text: string;
  /** Addresses the message names (Cc); only the requester's messages add participants. */
  readonly participantsNamed: readonly string[];
  /**
   * False for mail that failed authentication: its text is kept, flagged, and nothing else it
   * asks for happens (no participants, no reopening, no status change).
   */
  readonly authenticated: boolean;
  /** Whether the agents hear of it (an automatic answer does not wake them). */
  readonly notifyAgents: boolean;
  readonly flags: readonly TicketFlag[];
  readonly message: InboundMessageFacts;
  /** What our notification answers. */
  readonly reply: ThreadHeaders;
}

export interface CustomerMessageAdded {
  readonly via: ThreadedVia;
}

const union = <T>(a: readonly T[], b: readonly T[]): T[] => [...new Set([...a, ...b])];

/**
 * Adds a customer's message to their ticket. A follow-up closer than the policy's minimum
 * interval is recorded but wakes nobody (seed 004). Mail that failed authentication adds its text,
 * flagged `unauthenticated-sender`, and changes nothing else.
 */
export async function addCustomerMessage(
  deps: TicketKernelDeps,
  event: TicketEvent,
  ticket: Ticket,
  request: CustomerMessageRequest,
  via: ThreadedVia,
): Promise<ChangeOutcome<CustomerMessageAdded>> {
  const { policy, sla } = deps;
  const notifications = new NotificationMail(policy, deps.renderer);
  const words = readCustomerWords(policy, { subject: request.subject, text: request.text });
  const at = eventTime(event);
  const queue = policy.queues.find((candidate) => candidate.name === ticket.queue) ?? policy.queues[0]!;
  return changeTicket(deps, event, ticket, (current) => {
    const throttled = isThrottledFollowUp(policy, current, event.now);
    const author = current.requester === request.author ? 'requester' : 'participant';
    const flags: TicketFlag[] = union(
      union(words.flags, request.flags),
      throttled ? ['throttled-follow-up' as const] : [],
    );
    const admission = admitParticipants(
      current.participants,
      current.requester,
      author === 'requester' ? request.participantsNamed : [],
      participantRules(policy, queue, request.authenticated),
    );
    const next: Ticket = request.authenticated
      ? recordCustomerMessage(current, { at: event.now, participants: admission.participants, flags }, sla)
      : { ...current, flags: union(current.flags, [...flags, 'unauthenticated-sender' as const]), updatedAt: at };
    const files = forwardedAttachments(policy, current.number, request.message.attachments);
    const notified = request.notifyAgents && !throttled;
    const mail: MailToSend[] = [];
    if (notified) {
      mail.push({
        purpose: 'agent-customer-reply',
        author: 'system',
        mail: notifications.toAgents('agent-customer-reply', next, request.reply, {
          message: { from: request.author, fromName: request.authorName, text: words.text, at },
          flags: request.authenticated ? flags : [...flags, 'unauthenticated-sender'],
          declinedParticipants: admission.declined,
          attachments: files,
        }),
      });
    }
    const message = inboundMessage(request.message, {
      at,
      author,
      purpose: 'customer-message',
      subject: words.subject,
      text: words.text,
      declinedParticipants: admission.declined,
    });
    return {
      next,
      message: notified ? { ...message, attachments: markWithheld(message.attachments, files) } : message,
      mail,
      // A reply to this message, processed at the same instant, must find this ticket rather than open one.
      threadClaims: threadClaimKeys({
        requester: request.author,
        normalizedSubject: null,
        messageIds: request.message.messageId ? [request.message.messageId] : [],
      }),
      result: { via },
    };
  });
}
