import type { StoredFile } from '../../application/ports/attachment-store.ts';
import { safeAttachmentName } from '../../domain/attachments/attachment-keys.ts';
import { downloadContentType } from '../../domain/attachments/customer-downloads.ts';
import type { HttpResponse } from './http-exchange.ts';

/** RFC 5987 §3.2.1 attr-char: what `filename*` may hold unencoded. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

/**
 * `Content-Disposition: attachment` with the file's name (RFC 6266 §4.3): `filename*` in UTF-8,
 * percent-encoded byte by byte (RFC 5987), and a plain `filename` for clients that read only that,
 * in printable ASCII without `"`, `\` or `%` (which some clients decode). The name is first made
 * safe (attachment-keys.ts: no path, no controls, no bidi overrides), so nothing of it can end the
 * header, add one, or name a folder.
 */
export function attachmentDisposition(filename: string | null): string {
  const name = safeAttachmentName(filename);
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  let encoded = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += byte < 0x80 && ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * A stored file as a download: saved, never shown in the page's origin (`attachment`, and a CSP
 * `sandbox` so that even a browser that opens it runs nothing with our cookies or origin), its
 * type from the safe list only and never sniffed, not cached (it is a customer's).
 */
export function fileDownload(file: StoredFile, filename: string | null, method: string): HttpResponse {
  return {
    status: 200,
    headers: {
      'content-type': downloadContentType(file.contentType),
      'content-disposition': attachmentDisposition(filename),
      'content-length': String(file.content.byteLength),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'no-store',
      'referrer-policy': 'same-origin',
    },
    body:
      method === 'HEAD'
        ? Buffer.alloc(0)
        : Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength),
  };
}
