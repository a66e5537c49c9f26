import { markWithheld } from '../domain/attachments/attachment-forwarding.ts';
import type { MailLimits } from '../domain/mail/mail-limits.ts';
import { isMailableAddress } from '../domain/mail/mailable-address.ts';
import { withoutSignature } from '../domain/mail/quoted-reply.ts';
import type { Policy } from '../domain/policy/policy-schema.ts';
import { isStaff, ownAddresses, ticketQueue } from '../domain/routing/support-routing.ts';
import { commandVocabulary } from '../domain/ticket/agent-command-vocabulary.ts';
import { type AgentRequest, type CommandProblem, readAgentCommands } from '../domain/ticket/agent-commands.ts';
import {
  type AgentReplyMail,
  type AgentReplyRefusal,
  extractAgentReply,
} from '../domain/ticket/agent-reply-extraction.ts';
import { keptWords } from '../domain/ticket/customer-words.ts';
import { isCustomerOf } from '../domain/ticket/participants.ts';
import type { Ticket, TicketMessage } from '../domain/ticket/ticket.ts';
import { changeStatus, changeTerms, recordAgentReply } from '../domain/ticket/ticket-lifecycle.ts';
import { AgentReplyNotices } from './agent-reply-notices.ts';
import { forwardedAttachments, withAttachments } from './attachment-mail.ts';
import { type ChangeOutcome, changeTicket, type TicketChange } from './change-ticket.ts';
import { type InboundMessageFacts, inboundMessage } from './inbound-message.ts';
import { conversationThread, type ThreadHeaders } from './notification-mail.ts';
import type { AppliedChangeView } from './ports/notification-renderer.ts';
import { resolutionMail } from './set-ticket-status.ts';
import { eventTime, type MailToSend, type TicketEvent, type TicketKernelDeps } from './ticket-event.ts';
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
  /** The text reached the customer (and the commands with it applied). */
  | { readonly outcome: 'relayed' }
  /** An internal note: kept, mailed to the other agents (and the commands with it applied). */
  | { readonly outcome: 'noted' }
  /** Commands only: applied, nothing relayed, the agent told what changed. */
  | { readonly outcome: 'applied' }
  | { readonly outcome: 'refused'; readonly reason: AgentReplyRefusal; readonly problems: readonly CommandProblem[] };

/**
 * An agent answered a ticket. Only their new words reach the customer: what they wrote above
 * the reply marker of our notification, quoted history (text and HTML) and their signature
 * removed, the command lines at the top taken as commands (agent-commands.ts), secrets masked;
 * it goes to the requester and the participants from the queue's address under the agent's
 * name, threaded under the customer's last message, and the ticket moves on.
 *
 * - Commands and text: the commands apply through the kernel and the text is relayed (a
 *   `#resolve` also sends the requester the resolution summary, after the text).
 * - Commands only: they apply, nothing is relayed, and the agent alone is told what changed.
 * - `#note` (or an `Internal:` first line): the text is kept as an internal note and mailed to
 *   the queue's agents and the assignee (unless they wrote it), never to a customer; commands
 *   with it apply.
 * - An answer to an internal note's mail (its In-Reply-To) is a note as well.
 * - Anything not understood, a reply that still holds an internal notice, or one with no new
 *   words: nothing changes, nothing reaches the customer, the mail is kept on the ticket and
 *   the agent alone is told why (for commands: each problem and the commands there are).
 *
 * Only for authenticated staff: the caller decides who is speaking.
 */
export async function relayAgentReply(
  deps: TicketKernelDeps,
  event: TicketEvent,
  ticket: Ticket,
  request: AgentReplyRequest,
): Promise<ChangeOutcome<AgentReplyOutcome>> {
  const extracted = extractAgentReply(request.mail, request.limits);
  if (extracted.outcome === 'refused') return refuseRelay(deps, event, ticket, request, extracted.reason, []);

  const { policy, store } = deps;
  const vocabulary = commandVocabulary(policy, {
    author: request.agent,
    mayBeAssigned: (address) => mayBeAssigned(policy, ticket, address),
  });
  const written = withoutSignature(extracted.text);
  const reading = readAgentCommands(written, vocabulary);
  if (reading.outcome === 'problems')
    return refuseRelay(deps, event, ticket, request, 'commands-not-understood', reading.problems);

  const messages = await store.listMessages(ticket.number);
  const asked = answersInternalNote(messages, request.message.inReplyTo) ? asNote(reading.request) : reading.request;
  return changeTicket(deps, event, ticket, (current) =>
    decideAgentMail(deps, event, current, request, { asked, written }, messages),
  );
}

/**
 * Is the mail an answer to an internal note's mail to the agents? That mail promises its
 * replies go to the agents only; one that reached the support address anyway (a Reply All,
 * a client that answers From) was relayed to the customer.
 */
function answersInternalNote(messages: readonly TicketMessage[], inReplyTo: string | null): boolean {
  return (
    inReplyTo !== null &&
    messages.some((message) => message.purpose === 'agent-internal-note' && message.messageId === inReplyTo)
  );
}

/** An answer to a note is a note too, when it has words (commands alone stay commands). */
const asNote = (asked: AgentRequest): AgentRequest => (asked.text === '' ? asked : { ...asked, note: true });

/** What an understood agent mail does to the ticket as it is now: its next state, message and mail. */
function decideAgentMail(
  deps: TicketKernelDeps,
  event: TicketEvent,
  current: Ticket,
  request: AgentReplyRequest,
  { asked, written }: { readonly asked: AgentRequest; readonly written: string },
  messages: readonly TicketMessage[],
): TicketChange<AgentReplyOutcome> {
  const { policy, sla } = deps;
  const at = eventTime(event);
  const notifications = new AgentReplyNotices(policy, deps.renderer);
  const relays = !asked.note && asked.text !== '';
  // A mail of commands only is kept as the agent wrote them (masked): the ticket shows what was asked.
  const words = keptWords({ subject: request.subject, text: asked.text === '' ? written : asked.text });

  let next = relays
    ? recordAgentReply(
        current,
        { at: event.now, status: asked.status, countsAsFirstResponse: policy.sla.firstResponseIs === 'agent-reply' },
        sla,
      )
    : asked.status === null
      ? current
      : changeStatus(current, asked.status, event.now, sla);
  next = changeTerms(next, { priority: asked.priority, plan: asked.plan }, event.now, sla);
  next = { ...next, assignee: asked.assignee ?? next.assignee, updatedAt: at };

  const resolution = resolutionMail(deps, current, next, messages, null);
  const mail: MailToSend[] = [];
  // The agent's files go where their words go (the customer, or the other agents for a note), as
  // the customer's go to agents; dangerous or oversized ones are kept and the agent is told.
  const files = forwardedAttachments(policy, current.number, request.message.attachments);
  if (relays) {
    mail.push({
      purpose: 'agent-reply-relay',
      author: 'agent',
      mail: withAttachments(
        notifications.agentReplyRelay(
          next,
          customerThread(messages),
          {
            from: request.agent,
            fromName: request.agentName,
            text: words.text,
            at,
          },
          deps.statusLinks.linkFor(next),
        ),
        files,
      ),
    });
  }
  if (asked.note) {
    mail.push({
      purpose: 'agent-internal-note',
      author: 'agent',
      mail: withAttachments(
        notifications.agentInternalNote(next, request.reply, {
          from: request.agent,
          fromName: request.agentName,
          text: words.text,
          at,
        }),
        files,
      ),
    });
  }
  const forwarded = relays || asked.note;
  if (forwarded) mail.push(...withheldFromRelay(notifications, next, files, request, at));
  // `#resolve`: the requester also gets the resolution summary (and the survey), after the text.
  mail.push(...resolution);
  const asksChanges = changedFields(asked);
  if (!relays && asksChanges.length > 0) {
    mail.push({
      purpose: 'agent-commands-applied',
      author: 'system',
      mail: notifications.agentCommandsApplied(current, next, request.reply, {
        agent: { address: request.agent, name: request.agentName },
        asked: asksChanges,
        resolutionSent: resolution.length > 0,
        at,
      }),
    });
  }

  const purpose = asked.note ? 'internal-note' : relays ? 'agent-reply' : 'agent-commands';
  const result: AgentReplyOutcome = { outcome: asked.note ? 'noted' : relays ? 'relayed' : 'applied' };
  const message = inboundMessage(request.message, {
    at,
    author: 'agent',
    purpose,
    subject: words.subject,
    text: words.text,
  });
  return {
    next,
    message: forwarded ? { ...message, attachments: markWithheld(message.attachments, files) } : message,
    mail,
    result,
  };
}

/** The fields an agent's commands set, in the order the confirmation lists them. */
function changedFields(asked: AgentRequest): AppliedChangeView['field'][] {
  const fields: AppliedChangeView['field'][] = [];
  if (asked.status !== null) fields.push('status');
  if (asked.priority !== null) fields.push('priority');
  if (asked.plan !== null) fields.push('plan');
  if (asked.assignee !== null) fields.push('assignee');
  return fields;
}

/**
 * The relay threads under the customer's last message, with the ids of the customer's side of the
 * conversation (conversationThread): never those of notices to agents or internal notes.
 */
function customerThread(messages: readonly TicketMessage[]): ThreadHeaders {
  const lastCustomerMessage = [...messages]
    .reverse()
    .find((message) => message.author === 'requester' || message.author === 'participant');
  return {
    inReplyTo: lastCustomerMessage?.messageId ?? null,
    references: conversationThread(messages).references,
  };
}

/**
 * Who a ticket may be assigned to: staff of its queue at an address mail can go to, never one of
 * our own addresses (the agents' list) and never a customer of the ticket.
 */
function mayBeAssigned(policy: Policy, ticket: Ticket, address: string): boolean {
  return (
    isStaff(policy, ticketQueue(policy, ticket), address) &&
    !isCustomerOf(ticket, address) &&
    !ownAddresses(policy).includes(address) &&
    isMailableAddress(address)
  );
}

/** The agent's mail is kept on the ticket as written (masked), nothing else changes, and they learn why. */
async function refuseRelay(
  deps: TicketKernelDeps,
  event: TicketEvent,
  ticket: Ticket,
  request: AgentReplyRequest,
  reason: AgentReplyRefusal,
  problems: readonly CommandProblem[],
): Promise<ChangeOutcome<AgentReplyOutcome>> {
  const words = keptWords({ subject: request.subject, text: request.mail.text });
  const notifications = new AgentReplyNotices(deps.policy, deps.renderer);
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
          problems,
        }),
      },
    ],
    result: { outcome: 'refused', reason, problems },
  }));
}
