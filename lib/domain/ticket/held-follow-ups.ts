import { cutText } from './recent-conversation.ts';
import type { MessageAuthor, TicketMessage } from './ticket.ts';

/** Each held follow-up's text is cut here, as in the agents' other notifications: the ticket keeps all of it. */
export const HELD_FOLLOW_UP_TEXT_LIMIT = 20_000;
/**
 * Held follow-ups quoted in one mail; the rest are counted. A customer writing 200 times within
 * the interval must not make a mail of 200 quotes: the agents read the ticket for the rest.
 */
export const HELD_FOLLOW_UPS_QUOTED = 20;

/** A held follow-up as the agents' mail quotes it (text as stored: redacted, then cut; `cut` says so). */
export interface HeldFollowUp {
  readonly sequence: number;
  readonly author: MessageAuthor;
  readonly from: string;
  readonly at: string;
  readonly text: string;
  readonly cut: boolean;
}

/** What one mail of held follow-ups says: the oldest ones quoted, in order, and how many more the ticket keeps. */
export interface HeldFollowUpQuotes {
  readonly quoted: readonly HeldFollowUp[];
  readonly notQuoted: number;
}

/** The messages of `sequences` (a window's held follow-ups), in the order held, quoted and counted. */
export function heldFollowUpQuotes(
  messages: readonly TicketMessage[],
  sequences: readonly number[],
): HeldFollowUpQuotes {
  const bySequence = new Map(messages.map((message) => [message.sequence, message]));
  const held = sequences.flatMap((sequence) => {
    const message = bySequence.get(sequence);
    return message === undefined ? [] : [message];
  });
  const quoted = held.slice(0, HELD_FOLLOW_UPS_QUOTED).map((message) => {
    const text = cutText(message.text, HELD_FOLLOW_UP_TEXT_LIMIT);
    return {
      sequence: message.sequence,
      author: message.author,
      from: message.from,
      at: message.at,
      text,
      cut: text !== message.text,
    };
  });
  return { quoted, notQuoted: held.length - quoted.length };
}
