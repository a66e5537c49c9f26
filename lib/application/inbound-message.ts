import type { InboundPurpose } from '../domain/ticket/message-purpose.ts';
import type { DeclinedParticipant, MessageAttachment, MessageAuthor } from '../domain/ticket/ticket.ts';
import type { MessageDraft } from './ticket-event.ts';

/**
 * What a channel knows about one inbound message, to store it on its ticket: where it came
 * from and went, how it threads, and where its raw form is kept. Channel-neutral: a web-form post
 * has no Message-ID and no raw mail.
 */
export interface InboundMessageFacts {
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly messageId: string | null;
  /** The identity of a message without a Message-ID (content-key.ts). */
  readonly contentKey: string | null;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly rawKey: string | null;
  readonly attachments: readonly MessageAttachment[];
}

/**
 * Addresses of a To or Cc kept on the stored message: a header of 100,000 addresses must not make
 * it too large to store (DynamoDB items hold 400 KB); the raw mail keeps every one.
 */
export const MAX_STORED_RECIPIENTS = 1_000;

/**
 * Attachments kept (described on the message and stored) of one mail: a mail of a thousand parts
 * must still fit in a stored item and a receipt; the raw mail keeps the rest.
 */
export const MAX_STORED_ATTACHMENTS = 100;

/** The message to store: the facts, and what the kernel made of its words. */
export function inboundMessage(
  facts: InboundMessageFacts,
  decided: {
    readonly at: string;
    readonly author: MessageAuthor;
    readonly purpose: InboundPurpose;
    readonly subject: string;
    readonly text: string;
    readonly declinedParticipants?: readonly DeclinedParticipant[];
    /** A throttled follow-up: until when it is held back from the agents. */
    readonly heldUntil?: string | null;
  },
): MessageDraft {
  return {
    at: decided.at,
    direction: 'inbound',
    author: decided.author,
    from: facts.from,
    to: facts.to.slice(0, MAX_STORED_RECIPIENTS),
    cc: facts.cc.slice(0, MAX_STORED_RECIPIENTS),
    subject: decided.subject,
    text: decided.text,
    messageId: facts.messageId,
    inReplyTo: facts.inReplyTo,
    references: [...facts.references],
    rawKey: facts.rawKey,
    attachments: [...facts.attachments],
    purpose: decided.purpose,
    contentKey: facts.messageId === null ? facts.contentKey : null,
    delivery: null,
    declinedParticipants: [...(decided.declinedParticipants ?? [])],
    heldUntil: decided.heldUntil ?? null,
  };
}
