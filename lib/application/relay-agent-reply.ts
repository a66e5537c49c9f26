import { stripQuotedReply } from '../domain/mail/quoted-reply.ts';
import { readAgentReply } from '../domain/ticket/agent-commands.ts';
import { keptWords } from '../domain/ticket/customer-words.ts';
import type { Ticket } from '../domain/ticket/ticket.ts';
import { recordAgentReply } from '../domain/ticket/ticket-lifecycle.ts';
import { type ChangeOutcome, changeTicket } from './change-ticket.ts';
import { type InboundMessageFacts, inboundMessage } from './inbound-message.ts';
import { NotificationMail, type ThreadHeaders } from './notification-mail.ts';
import { eventTime, type TicketEvent, type TicketKernelDeps } from './ticket-event.ts';

/** An authenticated agent's mail to a ticket. */
export interface AgentReplyRequest {
  readonly agent: string;
  readonly agentName: string | null;
  readonly subject: string;
  /** The reply as the agent's client sent it, quoted history included. */
  readonly text: string;
  readonly message: InboundMessageFacts;
}

/**
 * An agent answered a ticket: their new words (quoted history and `#status` lines removed, secrets
 * masked) go to the requester and the participants from the queue's address, threaded under the
 * customer's last message, and the ticket moves on (in progress, or the status asked for).
 * Only for authenticated staff: the caller decides who is speaking.
 */
export async function relayAgentReply(
  deps: TicketKernelDeps,
  event: TicketEvent,
  ticket: Ticket,
  request: AgentReplyRequest,
): Promise<ChangeOutcome<null>> {
  const { policy, sla, store } = deps;
  const reply = readAgentReply(stripQuotedReply(request.text));
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
    return {
      next,
      message: inboundMessage(request.message, {
        at,
        author: 'agent',
        purpose: 'agent-reply',
        subject: words.subject,
        text: words.text,
      }),
      mail: [
        {
          purpose: 'agent-reply-relay',
          author: 'agent',
          mail: notifications.agentReplyRelay(next, thread, {
            from: request.agent,
            fromName: request.agentName,
            text: words.text,
            at,
          }),
        },
      ],
      result: null,
    };
  });
}
