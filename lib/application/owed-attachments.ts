import { AtendeError, isAtendeError } from '../domain/atende-error.ts';
import { extractAttachmentContents } from '../domain/attachments/attachment-contents.ts';
import type { MailLimits } from '../domain/mail/mail-limits.ts';
import type { AttachmentStore } from './ports/attachment-store.ts';
import type { AttachedFile, OutgoingMail } from './ports/mailer.ts';
import type { RawMailStore } from './ports/raw-mail-store.ts';
import type { OwedAttachments } from './ports/ticket-store.ts';

export interface AttachmentDeps {
  readonly attachments: AttachmentStore;
  readonly rawMail: RawMailStore;
  readonly limits?: Partial<MailLimits>;
}

/**
 * Failures that storing again cannot cure: the raw mail is gone, over the limits, no longer
 * parses, or no longer holds a file of the hash the message names. The effect is given up (the
 * raw mail, where there is one, still holds the files) and the mail that would attach such a file
 * goes without it.
 */
const PERMANENT_ATTACHMENT_CODES: readonly string[] = [
  'mail.rawNotFound',
  'mail.tooLarge',
  'mail.unparseable',
  'attachment.contentMismatch',
  'attachment.invalidKey',
];

export const isPermanentAttachmentFailure = (error: unknown): boolean =>
  isAtendeError(error) && PERMANENT_ATTACHMENT_CODES.includes(error.code);

/**
 * Stores the files an owed `attachments` effect names: reads the raw mail, takes each file out
 * of it by its hash (the parser's SHA-256 of the decoded content, the one on the message record)
 * and puts it under its key. Putting a key again puts the same bytes, so a repeat is harmless.
 */
export async function storeOwedAttachments(deps: AttachmentDeps, effect: OwedAttachments): Promise<void> {
  const raw = await deps.rawMail.get(effect.rawKey, { maxBytes: deps.limits?.maxRawBytes });
  const contents = await extractAttachmentContents(raw, new Set(effect.files.map((file) => file.sha256)), deps.limits);
  const missing: string[] = [];
  for (const file of effect.files) {
    const found = contents.get(file.sha256);
    if (found === undefined) missing.push(file.sha256);
    else await deps.attachments.put(file.key, { content: found.content, contentType: file.contentType });
  }
  if (missing.length > 0) {
    throw new AtendeError(
      'attachment.contentMismatch',
      `raw mail ${effect.rawKey} holds no attachment with SHA-256 ${missing.join(', ')}`,
      { details: { rawKey: effect.rawKey, missing } },
    );
  }
}

/**
 * The bytes of the files a mail attaches, loaded from the attachment store. One that is not
 * there (its storing was given up for good) is left out: the notification still goes, and its
 * list still names the file. Any other failure is thrown, and the mail stays owed.
 */
export async function loadMailAttachments(deps: AttachmentDeps, mail: OutgoingMail): Promise<AttachedFile[]> {
  const files: AttachedFile[] = [];
  for (const reference of mail.attachments ?? []) {
    try {
      const stored = await deps.attachments.get(reference.key);
      files.push({
        filename: reference.filename ?? reference.key.slice(reference.key.lastIndexOf('/') + 1),
        contentType: reference.contentType,
        content: stored.content,
      });
    } catch (error) {
      if (!isAtendeError(error, 'attachment.notFound')) throw error;
    }
  }
  return files;
}
