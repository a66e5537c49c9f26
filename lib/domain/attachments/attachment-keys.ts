import { AtendeError } from '../atende-error.ts';
import type { MessageAttachment } from '../ticket/ticket.ts';

/**
 * Where a stored attachment lives: `tickets/<number>/attachments/<sha256>/<safe name>`, the same
 * key in S3 (under the ticket's prefix) and, as a relative path, under the local data folder.
 * The content hash makes the key content-addressed: storing the same file again writes the same
 * bytes to the same key, so a settle that runs twice is harmless, and two files of one name on
 * one ticket never overwrite each other.
 */

/** Bytes of UTF-8 kept of a file name in a key: well under the 255 a file system allows per name. */
export const MAX_SAFE_NAME_BYTES = 120;

/** Used when nothing of the name is left (no name, or one made only of dots and separators). */
export const UNNAMED_ATTACHMENT = 'attachment';

/**
 * What is removed from a name: C0/C1 controls and DEL (header and terminal injection), path
 * separators (`/`, `\`: traversal), the characters Windows refuses in a name (`:*?"<>|`) and
 * Unicode's bidirectional overrides (`invoice‮fdp.exe` shows as `invoiceexe.pdf`).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f/\\:*?"<>|\u202a-\u202e\u2066-\u2069\u200e\u200f]+/gu;

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
const cutToBytes = (text: string, maxBytes: number): string => {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
};

/**
 * A file name fit for a key and a file on disk: one plain name (never `.`, `..` or hidden), no
 * control characters or separators, NFC, at most MAX_SAFE_NAME_BYTES, keeping the extension when
 * the name is cut (so the type a reader infers from the name stays the same).
 */
export const safeAttachmentName = (filename: string | null): string => {
  // RFC 2183 §2.3: a receiver keeps the name and ignores any directory path in it.
  const base =
    (filename ?? '')
      .split(/[/\\]+/u)
      .filter((part) => part.trim() !== '')
      .at(-1) ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(UNSAFE, '_')
    .replace(/\s+/gu, ' ')
    .trim()
    // A leading dot hides the file and `..` climbs a folder; trailing dots and blanks vanish on Windows.
    .replace(/^[.\s]+/u, '')
    .replace(/[.\s]+$/u, '');
  if (cleaned === '') return UNNAMED_ATTACHMENT;
  if (Buffer.byteLength(cleaned, 'utf8') <= MAX_SAFE_NAME_BYTES) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  const stem = cutToBytes(
    cleaned.slice(0, cleaned.length - extension.length),
    MAX_SAFE_NAME_BYTES - Buffer.byteLength(extension, 'utf8'),
  );
  return `${stem.trimEnd()}${extension}`;
};

const SHA256 = /^[0-9a-f]{64}$/;

/** The key of an attachment of ticket `ticketNumber` with this content hash and name. */
export const attachmentKey = (ticketNumber: number, sha256: string, filename: string | null): string => {
  if (!Number.isSafeInteger(ticketNumber) || ticketNumber < 0 || !SHA256.test(sha256)) {
    throw new AtendeError('attachment.invalidKey', 'an attachment key needs a ticket number and a SHA-256 in hex', {
      details: { ticketNumber, sha256: sha256.slice(0, 80) },
    });
  }
  return `tickets/${ticketNumber}/attachments/${sha256}/${safeAttachmentName(filename)}`;
};

const KEY = /^tickets\/\d{1,15}\/attachments\/[0-9a-f]{64}\/[^/\\]+$/u;

/**
 * Whether a key is one `attachmentKey` makes: adapters check it before it becomes a path or an
 * object name, so a key read from a tampered store item cannot leave the attachments folder.
 */
export const isAttachmentKey = (key: string): boolean => {
  if (!KEY.test(key)) return false;
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name === safeAttachmentName(name);
};

/** Throws `attachment.invalidKey` for a key `attachmentKey` could not have made. */
export const checkedAttachmentKey = (key: string): string => {
  if (isAttachmentKey(key)) return key;
  throw new AtendeError('attachment.invalidKey', `${JSON.stringify(key.slice(0, 200))} is not an attachment key`, {
    details: { key: key.slice(0, 200) },
  });
};

/** The content hash a key holds (`tickets/<n>/attachments/<sha256>/…`); null for a key attachmentKey could not have made. */
export const attachmentKeyHash = (key: string): string | null => (isAttachmentKey(key) ? key.split('/')[3]! : null);

/**
 * A message's attachments with the keys they are stored under on ticket `ticketNumber`: each one
 * with a hash and no key yet gets `attachmentKey`'s. The kernel applies it when the message gets
 * its ticket, and a change that forwards files applies it to find their keys: both get the same.
 */
export const keyedAttachments = <T extends MessageAttachment>(ticketNumber: number, attachments: readonly T[]): T[] =>
  attachments.map((attachment) =>
    attachment.key === null && attachment.sha256 !== null
      ? { ...attachment, key: attachmentKey(ticketNumber, attachment.sha256, attachment.filename) }
      : attachment,
  );
