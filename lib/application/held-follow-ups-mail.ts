import type { Policy } from '../domain/policy/policy-schema.ts';
import type { Quotable } from '../domain/ticket/follow-up-window.ts';
import { heldFollowUpQuotes } from '../domain/ticket/held-follow-ups.ts';
import type { Ticket, TicketMessage } from '../domain/ticket/ticket.ts';
import { forwardedAttachments } from './attachment-mail.ts';
import type { NotificationMail, ThreadHeaders } from './notification-mail.ts';
import type { MailToSend } from './ticket-event.ts';

/** The held follow-ups a change can quote: those among the messages it read. */
export function quotableIn(messages: readonly TicketMessage[]): Quotable {
  const read = new Set(messages.map((message) => message.sequence));
  return (sequence) => read.has(sequence);
}

/**
 * The one mail to the agents with the follow-ups `released` from the throttle's window (a
 * `follow-ups` timer acted, or a later follow-up reached the agents first); none when none was.
 * The files of the follow-ups it quotes go with it, as a customer's message's go with its notice.
 */
export function heldFollowUpsMail(
  policy: Policy,
  notifications: NotificationMail,
  ticket: Ticket,
  thread: ThreadHeaders,
  messages: readonly TicketMessage[],
  released: readonly number[],
): MailToSend[] {
  if (released.length === 0) return [];
  const quotes = heldFollowUpQuotes(messages, released);
  const quoted = new Set(quotes.quoted.map((quote) => quote.sequence));
  const files = forwardedAttachments(
    policy,
    ticket.number,
    messages.filter((message) => quoted.has(message.sequence)).flatMap((message) => message.attachments),
  );
  return [
    {
      purpose: 'agent-held-follow-ups',
      author: 'system',
      mail: notifications.heldFollowUps(ticket, thread, quotes, files),
    },
  ];
}
