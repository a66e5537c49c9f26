import type { AttachmentWithholding, MessageAttachment } from '../ticket/ticket.ts';
import { isDangerousAttachment } from './dangerous-attachments.ts';

/** A stored attachment: one with a key in the attachment store. */
export type StoredAttachment = MessageAttachment & { readonly key: string };

/** A file a mail left out: which of the message's (its index), and why. */
export interface WithheldAttachment {
  readonly index: number;
  readonly attachment: MessageAttachment;
  readonly reason: AttachmentWithholding;
}

/** What a mail about a message carries of its attachments, and what it only lists. */
export interface AttachmentSelection {
  /** The files to attach, in the message's order; their sizes add up to at most the limit. */
  readonly attach: readonly StoredAttachment[];
  /** The files left out, with why, in the message's order. */
  readonly withheld: readonly WithheldAttachment[];
}

/**
 * Which of a message's attachments a mail forwards (the agents' notification of a customer's
 * message, the relay of an agent's reply, any other mail to agents about a message): every stored
 * file that is not dangerous, in order, while their sizes add up to at most `limitBytes` (the
 * policy's `attachments.forwardLimit`); a file that would pass the limit is withheld as too large
 * and a smaller one after it may still go. Dangerous files are always withheld.
 */
export function selectForwardedAttachments(
  attachments: readonly MessageAttachment[],
  limitBytes: number,
): AttachmentSelection {
  const attach: StoredAttachment[] = [];
  const withheld: WithheldAttachment[] = [];
  let total = 0;
  for (const [index, attachment] of attachments.entries()) {
    if (isDangerousAttachment(attachment)) {
      withheld.push({ index, attachment, reason: 'dangerous' });
    } else if (attachment.key === null || total + attachment.size > limitBytes) {
      // A file that was never stored (a message from before attachments were) cannot go either.
      withheld.push({ index, attachment, reason: 'too-large' });
    } else {
      total += attachment.size;
      attach.push({ ...attachment, key: attachment.key });
    }
  }
  return { attach, withheld };
}

/** The message's attachments marked with what the selection withheld (what `tickets show` tells). */
export const markWithheld = (
  attachments: readonly MessageAttachment[],
  selection: AttachmentSelection,
): MessageAttachment[] =>
  attachments.map((attachment, index) => ({
    ...attachment,
    withheld: selection.withheld.find((entry) => entry.index === index)?.reason ?? null,
  }));
