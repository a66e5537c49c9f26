import type { MessageAttachment } from '../ticket/ticket.ts';
import { isDangerousAttachment } from './dangerous-attachments.ts';

/**
 * Whether a file of the customer's conversation is offered for download on the status page:
 * `offered`, or listed only, and why. Inline files (a `cid:` image, a logo in a signature) are
 * neither: the page shows no HTML, so it does not list them either.
 *
 * Dangerous files (dangerous-attachments.ts) are listed but never served, for the reason they are
 * never forwarded by mail: a link on our own domain is the most trusted way a stranger's program
 * (a participant's, a forged agent's) could reach a customer. The customer is told so, and an
 * agent who means it can send the file some other way.
 */
export type CustomerDownload = 'offered' | 'dangerous' | 'not-stored' | 'too-large' | 'inline';

export function customerDownload(attachment: MessageAttachment, maxBytes: number): CustomerDownload {
  if (attachment.inline) return 'inline';
  if (isDangerousAttachment(attachment)) return 'dangerous';
  // No key: a message from before files were stored. Its bytes are not in the attachment store.
  if (attachment.key === null) return 'not-stored';
  if (attachment.size > maxBytes) return 'too-large';
  return 'offered';
}

/**
 * The types a download is declared as when stored so: ones a browser shows without running
 * anything (no SVG or HTML, which carry script). Everything else is application/octet-stream,
 * so a browser that ignores `attachment` still saves the file rather than render it.
 */
const SHOWN_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
]);

export function downloadContentType(stored: string): string {
  const type = stored.split(';', 1)[0]!.trim().toLowerCase();
  if (!SHOWN_TYPES.has(type)) return 'application/octet-stream';
  // A text file's bytes are the sender's: a charset that is not one plain token is dropped, not echoed.
  const charset = /;\s*charset="?([A-Za-z0-9_.:-]{1,40})"?\s*(?:;|$)/i.exec(stored)?.[1];
  return type === 'text/plain' && charset ? `text/plain; charset=${charset.toLowerCase()}` : type;
}
