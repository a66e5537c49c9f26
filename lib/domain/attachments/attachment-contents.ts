import { AtendeError } from '../atende-error.ts';
import { type MailLimits, resolveMailLimits } from '../mail/mail-limits.ts';
import { splitMime } from '../mail/parse-inbound-mail.ts';
import { prepareRawMail } from '../mail/prepare-raw-mail.ts';

/** One attachment's decoded bytes, with the hash the parser computed over them. */
export interface AttachmentContent {
  readonly sha256: string;
  readonly content: Uint8Array;
}

/**
 * The decoded contents of a raw mail's attachments, by SHA-256, read the way parseInboundMail
 * read the message (the same preparation, splitter and limits, so the same parts with the same
 * hashes): settling an owed `attachments` effect stores each file from the raw mail it came in.
 * Only the hashes asked for are kept, so a mail of many parts holds in memory just the files
 * owed. Pure computation over the bytes; linear in their size, within the mail limits.
 *
 * Fails as parseInboundMail does (`mail.tooLarge`, `mail.unparseable`).
 */
export async function extractAttachmentContents(
  raw: Uint8Array,
  wanted: ReadonlySet<string>,
  limits: Partial<MailLimits> = {},
): Promise<Map<string, AttachmentContent>> {
  const resolved = resolveMailLimits(limits);
  const found = new Map<string, AttachmentContent>();
  try {
    const prepared = prepareRawMail(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), resolved);
    const parsed = await splitMime(prepared.bytes, resolved);
    for (const attachment of parsed.attachments.slice(0, resolved.maxAttachments)) {
      if (!wanted.has(attachment.checksum) || found.has(attachment.checksum)) continue;
      found.set(attachment.checksum, { sha256: attachment.checksum, content: new Uint8Array(attachment.content) });
    }
  } catch (error) {
    if (error instanceof AtendeError) throw error;
    throw new AtendeError('mail.unparseable', `the attachments cannot be read: ${String(error)}`, {
      cause: error,
      details: { rawSize: raw.byteLength },
    });
  }
  return found;
}
