import { isCustomerVisible } from './message-purpose.ts';
import type { MessageDirection, TicketMessage } from './ticket.ts';

/** How many of the customer's conversation an escalation quotes. */
export const RECENT_MESSAGE_COUNT = 3;
/** Each quoted text is cut here: a manager needs the gist, the ticket keeps all of it. */
export const RECENT_MESSAGE_TEXT_LIMIT = 2_000;

/** A message of the customer's conversation as an escalation quotes it (text as stored: redacted). */
export interface RecentMessage {
  readonly direction: MessageDirection;
  readonly from: string;
  readonly at: string;
  /** At most RECENT_MESSAGE_TEXT_LIMIT characters. */
  readonly text: string;
  /** Whether `text` was cut. */
  readonly cut: boolean;
}

/**
 * The last messages of the customer's side of a ticket (what they wrote and were sent, never
 * internal notices), oldest first, each text cut to RECENT_MESSAGE_TEXT_LIMIT characters.
 * One pass over the messages, whatever their order: the latest by sequence are kept.
 */
export function recentConversation(messages: readonly TicketMessage[]): RecentMessage[] {
  const latest: TicketMessage[] = [];
  for (const message of messages) {
    if (!isCustomerVisible(message.purpose)) continue;
    if (latest.length === RECENT_MESSAGE_COUNT && message.sequence <= (latest[0]?.sequence ?? 0)) continue;
    // `latest` stays sorted by sequence and holds at most RECENT_MESSAGE_COUNT: each insertion is constant work.
    let index = latest.length;
    while (index > 0 && (latest[index - 1]?.sequence ?? 0) > message.sequence) index -= 1;
    latest.splice(index, 0, message);
    if (latest.length > RECENT_MESSAGE_COUNT) latest.shift();
  }
  return latest.map((message) => {
    const text = cutText(message.text, RECENT_MESSAGE_TEXT_LIMIT);
    return { direction: message.direction, from: message.from, at: message.at, text, cut: text !== message.text };
  });
}

/** The first `limit` UTF-16 units of `text`, never splitting a surrogate pair. */
export const cutText = (text: string, limit: number): string => {
  if (text.length <= limit) return text;
  const last = text.charCodeAt(limit - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit);
};
