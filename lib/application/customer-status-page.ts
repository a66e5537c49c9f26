import { createHash } from 'node:crypto';
import { isAtendeError } from '../domain/atende-error.ts';
import { customerDownload } from '../domain/attachments/customer-downloads.ts';
import { isCustomerVisible } from '../domain/ticket/message-purpose.ts';
import type { MessageAttachment, Ticket, TicketMessage } from '../domain/ticket/ticket.ts';
import { addCustomerMessage } from './add-customer-message.ts';
import { conversationThread } from './notification-mail.ts';
import type { StoredFile } from './ports/attachment-store.ts';
import { setTicketStatus } from './set-ticket-status.ts';
import type { StatusTokenReader } from './signed-status-links.ts';
import type { TicketKernelDeps } from './ticket-event.ts';

export interface StatusPageDeps extends TicketKernelDeps {
  readonly statusTokens: StatusTokenReader;
}

/** What a status link opens: the ticket and its conversation, or why it opens nothing. */
export type StatusPageOutcome =
  | {
      readonly outcome: 'shown';
      readonly ticket: Ticket;
      /** The customer's side only (isCustomerVisible): no internal notes, no agents' notifications. */
      readonly conversation: readonly TicketMessage[];
      /** Whether a reply is taken: not on a ticket closed longer ago than the policy's reopen window. */
      readonly mayReply: boolean;
      readonly mayClose: boolean;
    }
  /** Malformed, altered, signed with another secret, for another requester, or of no ticket: never told apart. */
  | { readonly outcome: 'invalid' }
  /** Genuine but past its expiry: the ticket's language, and nothing else of it. */
  | { readonly outcome: 'expired'; readonly locale: string };

/** Why a link opens nothing. */
export type StatusLinkRefusal = Exclude<StatusPageOutcome, { outcome: 'shown' }>;

/** The ticket a token opens, once its signature is checked against the ticket's requester. */
async function ticketOf(
  deps: StatusPageDeps,
  token: string,
): Promise<{ ok: true; ticket: Ticket } | { ok: false; outcome: StatusLinkRefusal }> {
  const claim = deps.statusTokens.claim(token);
  if (claim === null) return { ok: false, outcome: { outcome: 'invalid' } };
  const ticket = await deps.store.getTicket(claim.ticketNumber);
  if (ticket === null) return { ok: false, outcome: { outcome: 'invalid' } };
  const check = deps.statusTokens.check(claim, ticket);
  if (check === 'tampered') return { ok: false, outcome: { outcome: 'invalid' } };
  if (check === 'expired') return { ok: false, outcome: { outcome: 'expired', locale: ticket.locale } };
  return { ok: true, ticket };
}

const mayReplyTo = (deps: StatusPageDeps, ticket: Ticket): boolean =>
  ticket.status !== 'closed' ||
  (ticket.closedAt !== null && deps.clock.now() - Date.parse(ticket.closedAt) <= deps.policy.reopen.within * 60_000);

/** `GET /t/<token>`: the requester's view of their ticket. */
export async function openStatusPage(deps: StatusPageDeps, token: string): Promise<StatusPageOutcome> {
  const found = await ticketOf(deps, token);
  if (!found.ok) return found.outcome;
  const messages = await deps.store.listMessages(found.ticket.number);
  return {
    outcome: 'shown',
    ticket: found.ticket,
    conversation: messages.filter((message) => isCustomerVisible(message.purpose)),
    mayReply: mayReplyTo(deps, found.ticket),
    mayClose: found.ticket.status !== 'closed',
  };
}

/** Which file of the page a download link names: the message's sequence, the file's place in it. */
export interface StatusPageFileRequest {
  readonly sequence: number;
  readonly index: number;
  /** The largest file the carrier can answer with (a Lambda's response is at most 6 MB). */
  readonly maxBytes: number;
}

/** A download from the page: the file, or `no-file` when the page offers none there, or why the link opens nothing. */
export type StatusPageFileOutcome =
  | { readonly outcome: 'file'; readonly attachment: MessageAttachment; readonly file: StoredFile }
  | { readonly outcome: 'no-file' }
  | StatusLinkRefusal;

/**
 * `GET /t/<token>/files/<sequence>/<index>`: a file the status page offers (customerDownload:
 * of a message the page shows, stored, not dangerous), authorised by the page's own token, so
 * the link lasts exactly as long as the page's. Only this ticket's files: the key must be under
 * the ticket's own prefix, so a message item that named another ticket's file serves nothing.
 */
export async function openStatusPageFile(
  deps: StatusPageDeps,
  token: string,
  wanted: StatusPageFileRequest,
): Promise<StatusPageFileOutcome> {
  const found = await ticketOf(deps, token);
  if (!found.ok) return found.outcome;
  const messages = await deps.store.listMessages(found.ticket.number);
  const message = messages.find(
    (candidate) => candidate.sequence === wanted.sequence && isCustomerVisible(candidate.purpose),
  );
  const attachment = message?.attachments[wanted.index];
  if (attachment === undefined || customerDownload(attachment, wanted.maxBytes) !== 'offered') return NO_FILE;
  const key = attachment.key as string;
  if (!key.startsWith(`tickets/${found.ticket.number}/attachments/`)) return NO_FILE;
  try {
    return { outcome: 'file', attachment, file: await deps.attachments.get(key) };
  } catch (error) {
    // Listed but not (yet) in the store: its owed effect not settled, or the item tampered with.
    if (isAtendeError(error, 'attachment.notFound') || isAtendeError(error, 'attachment.invalidKey')) return NO_FILE;
    throw error;
  }
}

const NO_FILE = { outcome: 'no-file' } as const;

/** What a post from the page did; `refused` when the page did not offer it (a closed ticket). */
export type StatusPageAction = 'done' | 'refused' | StatusLinkRefusal;

/**
 * The requester's reply from the page, added as their mail reply would be (addCustomerMessage:
 * masked, throttled, the agents told). Holding the link is the requester's proof, as SPF/DKIM is
 * a mail's. The event key is the ticket's message count and the text's hash: a form sent twice
 * (a double click, a retried request) adds one message, a second reply with new words another.
 */
export async function replyOnStatusPage(deps: StatusPageDeps, token: string, text: string): Promise<StatusPageAction> {
  const found = await ticketOf(deps, token);
  if (!found.ok) return found.outcome;
  const { ticket } = found;
  if (!mayReplyTo(deps, ticket)) return 'refused';
  const hash = createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
  const now = deps.clock.now();
  const queue = deps.policy.queues.find((candidate) => candidate.name === ticket.queue);
  const messages = await deps.store.listMessages(ticket.number);
  await addCustomerMessage(
    deps,
    { key: `status-page-reply:${ticket.number}:${ticket.messageCount}:${hash}`, now, rawKey: null },
    ticket,
    {
      author: ticket.requester,
      authorName: ticket.requesterName,
      subject: ticket.subject,
      text,
      participantsNamed: [],
      authenticated: true,
      notifyAgents: true,
      flags: [],
      message: {
        from: ticket.requester,
        to: queue ? [queue.address] : [],
        cc: [],
        messageId: null,
        contentKey: null,
        inReplyTo: null,
        references: [],
        rawKey: null,
        attachments: [],
      },
      reply: conversationThread(messages),
    },
    'subject-tag',
  );
  return 'done';
}

/** "Close my ticket": the requester closes it, as the CLI would (setTicketStatus); closing a closed ticket does nothing. */
export async function closeOnStatusPage(deps: StatusPageDeps, token: string): Promise<StatusPageAction> {
  const found = await ticketOf(deps, token);
  if (!found.ok) return found.outcome;
  const { ticket } = found;
  if (ticket.status === 'closed') return 'done';
  await setTicketStatus(
    deps,
    { key: `status-page-close:${ticket.number}:${ticket.version}`, now: deps.clock.now(), rawKey: null },
    { ticketNumber: ticket.number, status: 'closed' },
  );
  return 'done';
}
