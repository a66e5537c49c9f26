import { type AttachmentSelection, selectForwardedAttachments } from '../domain/attachments/attachment-forwarding.ts';
import { keyedAttachments, safeAttachmentName } from '../domain/attachments/attachment-keys.ts';
import type { Policy } from '../domain/policy/policy-schema.ts';
import type { MessageAttachment } from '../domain/ticket/ticket.ts';
import type { OutgoingMail } from './ports/mailer.ts';
import type { AttachmentsView, AttachmentView } from './ports/notification-renderer.ts';

/**
 * What a mail about a message on ticket `ticketNumber` carries of its files, under the policy's
 * `attachments.forwardLimit`: the one rule for every mail that forwards a message's files (the
 * agents' notifications, the relay of an agent's reply, a digest of follow-ups). The files get
 * the keys the kernel stores them under; pass the selection to the mail builder
 * (NotificationMail.toAgents `attachments`) and mark the message with `markWithheld`.
 */
export const forwardedAttachments = (
  policy: Policy,
  ticketNumber: number,
  attachments: readonly MessageAttachment[],
): AttachmentSelection =>
  selectForwardedAttachments(keyedAttachments(ticketNumber, attachments), policy.attachments.forwardLimit);

/** The selection as templates show it: names (a safe one for an unnamed file), types and sizes, and why one was left out. */
export const attachmentsView = (selection: AttachmentSelection): AttachmentsView => {
  const view = (attachment: MessageAttachment): AttachmentView => ({
    filename: attachment.filename ?? safeAttachmentName(null),
    contentType: attachment.contentType,
    size: attachment.size,
  });
  return {
    attached: selection.attach.map(view),
    withheld: selection.withheld.map((entry) => ({ ...view(entry.attachment), reason: entry.reason })),
  };
};

/** The mail with references to the files the selection attaches (settling loads their bytes). */
export const withAttachments = (mail: OutgoingMail, selection: AttachmentSelection | undefined): OutgoingMail =>
  selection === undefined || selection.attach.length === 0
    ? mail
    : {
        ...mail,
        attachments: selection.attach.map((attachment) => ({
          key: attachment.key,
          filename: attachment.filename,
          contentType: attachment.contentType,
          size: attachment.size,
        })),
      };
