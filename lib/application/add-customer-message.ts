import { markWithheld } from '../domain/attachments/attachment-forwarding.ts';
import { readCustomerWords } from '../domain/ticket/customer-words.ts';
import { decideFollowUp } from '../domain/ticket/follow-up-window.ts';
import { admitParticipants, participantRules } from '../domain/ticket/participants.ts';
import { type ThreadedVia, threadClaimKeys } from '../domain/ticket/threading.ts';
import type { Ticket, TicketFlag } from '../domain/ticket/ticket.ts';
import { recordCustomerMessage } from '../domain/ticket/ticket-lifecycle.ts';
import { forwardedAttachments } from './attachment-mail.ts';
import { type ChangeOutcome, changeTicket } from './change-ticket.ts';
import { heldFollowUpsMail, quotableIn } from './held-follow-ups-mail.ts';
import { type InboundMessageFacts, inboundMessage } from './inbound-message.ts';
import { conversationThread, NotificationMail, type ThreadHeaders } from './notification-mail.ts';
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
 * Adds a customer's message to their ticket and tells the agents. A follow-up within the throttle's
 * window (`conduct.minFollowUpInterval`, seed 004; follow-up-window.ts) is held instead: recorded,
 * marked and flagged `throttled-follow-up`, it reaches the agents in one mail with the others held
 * at the window's end. One arriving after a window whose mail has not gone yet sends that mail first.
 * No follow-up is acknowledged. Mail that failed authentication adds its text, flagged
 * `unauthenticated-sender`, and changes nothing else.
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
  // The held follow-ups' words, for the mail that releases them; one held after this read stays held.
  const earlier = (ticket.followUpWindow?.held.length ?? 0) > 0 ? await deps.store.listMessages(ticket.number) : [];
  return changeTicket(deps, event, ticket, (current) => {
    const followUp = request.notifyAgents
      ? decideFollowUp(policy, current, { now: event.now, sequence: current.messageCount + 1 }, quotableIn(earlier))
      : null;
    const throttled = followUp?.held === true;
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
    const recorded: Ticket = request.authenticated
      ? recordCustomerMessage(current, { at: event.now, participants: admission.participants, flags }, sla)
      : { ...current, flags: union(current.flags, [...flags, 'unauthenticated-sender' as const]), updatedAt: at };
    const next: Ticket = followUp === null ? recorded : { ...recorded, followUpWindow: followUp.window };
    const mail: MailToSend[] =
      followUp === null || followUp.held
        ? []
        : heldFollowUpsMail(deps.policy, notifications, next, conversationThread(earlier), earlier, followUp.released);
    const files = forwardedAttachments(policy, current.number, request.message.attachments);
    const notified = followUp !== null && !followUp.held;
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
      heldUntil: followUp?.held === true ? followUp.window.until : null,
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
      activity: [{ kind: 'message-threaded', ticketNumber: current.number, via }],
      result: { via },
    };
  });
}
