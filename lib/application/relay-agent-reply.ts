import { markWithheld } from '../domain/attachments/attachment-forwarding.ts';
import type { MailLimits } from '../domain/mail/mail-limits.ts';
import { readAgentReply } from '../domain/ticket/agent-commands.ts';
import {
  type AgentReplyMail,
  type AgentReplyRefusal,
  extractAgentReply,
} from '../domain/ticket/agent-reply-extraction.ts';
import { keptWords } from '../domain/ticket/customer-words.ts';
import type { Ticket } from '../domain/ticket/ticket.ts';
import { recordAgentReply } from '../domain/ticket/ticket-lifecycle.ts';
import { forwardedAttachments, withAttachments } from './attachment-mail.ts';
import { type ChangeOutcome, changeTicket } from './change-ticket.ts';
import { type InboundMessageFacts, inboundMessage } from './inbound-message.ts';
import { NotificationMail, type ThreadHeaders } from './notification-mail.ts';
import { resolutionMail } from './set-ticket-status.ts';
import { eventTime, type TicketEvent, type TicketKernelDeps } from './ticket-event.ts';
import { withheldFromRelay } from './withheld-relay-attachments.ts';

/** An authenticated agent's mail to a ticket. */
export interface AgentReplyRequest {
  readonly agent: string;
  readonly agentName: string | null;
  readonly subject: string;
  /** The reply as the agent's client sent it, quoted history and all (text and HTML). */
  readonly mail: AgentReplyMail;
  readonly message: InboundMessageFacts;
  /** Our answers to the agent thread under their mail. */
  readonly reply: ThreadHeaders;
  readonly limits?: Pick<MailLimits, 'maxHtmlChars' | 'maxHtmlDepth'>;
}

export type AgentReplyOutcome =
  | { readonly relayed: true }
  | { readonly relayed: false; readonly reason: AgentReplyRefusal };

/**
 * An agent answered a ticket. Only their new words reach the customer: what they wrote above
 * the reply marker of our notification, quoted history (text and HTML) removed, `#status` lines
 * taken as commands, secrets masked; it goes to the requester and the participants from the
 * queue's address, threaded under the customer's last message, and the ticket moves on.
 *
 * A reply that still holds the text of an internal notice (or holds no new words) is not
 * relayed and changes nothing: it is kept on the ticket and the agent is told why, so no
 * internal notification, in whole or in part, ever reaches a customer.
 * Only for authenticated staff: the caller decides who is speaking.
 */
export async function relayAgentReply(
  deps: TicketKernelDeps,
  event: TicketEvent,
  ticket: Ticket,
  request: AgentReplyRequest,
): Promise<ChangeOutcome<AgentReplyOutcome>> {
  const extracted = extractAgentReply(request.mail, request.limits);
  if (extracted.outcome === 'refused') return refuseRelay(deps, event, ticket, request, extracted.reason);

  const { policy, sla, store } = deps;
  const reply = readAgentReply(extracted.text);
  const words = keptWords({ subject: request.subject, text: reply.text });
  const messages = await store.listMessages(ticket.number);
  const lastCustomerMessage = [...messages]
    .reverse()
    .find((message) => message.author === 'requester' || message.author === 'participant');
  const thread: ThreadHeaders = {
    inReplyTo: lastCustomerMessage?.messageId ?? null,
    references: messages
      .map((message) => message.messageId)
      .filter((id): id is string => id !== null)
      .slice(-20),
  };
  const notifications = new NotificationMail(policy, deps.renderer);
  const at = eventTime(event);
  return changeTicket(deps, event, ticket, (current) => {
    const next = recordAgentReply(
      current,
      { at: event.now, status: reply.status, countsAsFirstResponse: policy.sla.firstResponseIs === 'agent-reply' },
      sla,
    );
    // The agent's files go to the customer as the customer's go to agents; the rest are kept and the agent told.
    const files = forwardedAttachments(policy, current.number, request.message.attachments);
    const message = inboundMessage(request.message, {
      at,
      author: 'agent',
      purpose: 'agent-reply',
      subject: words.subject,
      text: words.text,
    });
    return {
      next,
      message: { ...message, attachments: markWithheld(message.attachments, files) },
      mail: [
        {
          purpose: 'agent-reply-relay',
          author: 'agent',
          mail: withAttachments(
            notifications.agentReplyRelay(next, thread, {
              from: request.agent,
              fromName: request.agentName,
              text: words.text,
              at,
            }),
            files,
          ),
        },
        ...withheldFromRelay(notifications, next, files, request, at),
        // `#status solved`: the requester also gets the resolution summary (and the survey).
        ...resolutionMail(deps, current, next, messages, null),
      ],
      result: { relayed: true },
    };
  });
}

/** The agent's mail is kept on the ticket as written (masked), nothing else changes, and they learn why. */
async function refuseRelay(
  deps: TicketKernelDeps,
  event: TicketEvent,
  ticket: Ticket,
  request: AgentReplyRequest,
  reason: AgentReplyRefusal,
): Promise<ChangeOutcome<AgentReplyOutcome>> {
  const words = keptWords({ subject: request.subject, text: request.mail.text });
  const notifications = new NotificationMail(deps.policy, deps.renderer);
  const at = eventTime(event);
  return changeTicket(deps, event, ticket, (current) => ({
    next: { ...current, updatedAt: at },
    message: inboundMessage(request.message, {
      at,
      author: 'agent',
      purpose: 'agent-reply-refused',
      subject: words.subject,
      text: words.text,
    }),
    mail: [
      {
        purpose: 'agent-relay-refused',
        author: 'system',
        mail: notifications.agentRelayRefused(current, request.reply, {
          agent: { address: request.agent, name: request.agentName },
          reason,
          at,
        }),
      },
    ],
    result: { relayed: false, reason },
  }));
}
