/** One part of a multipart/form-data body as a spec writes it: a text field, or a file. */
export interface FormPart {
  readonly name: string;
  /** A text field's value. */
  readonly value?: string;
  /** A file's `filename` parameter, written as given (quotes and all: specs test hostile names). */
  readonly filename?: string;
  /** A file's RFC 5987 `filename*` parameter (`utf-8''…` percent-encoded), written as given. */
  readonly filenameStar?: string;
  readonly contentType?: string;
  readonly content?: Buffer | string;
}

export const SPEC_BOUNDARY = 'atende-spec-boundary-7MA4YWxkTrZu0gW';

/**
 * A multipart/form-data body (RFC 7578) written by hand, as a browser or curl writes one, so a
 * spec controls every byte of it (a hostile file name, a truncated body).
 */
export function multipartBody(
  parts: readonly FormPart[],
  boundary = SPEC_BOUNDARY,
): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let disposition = `Content-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) disposition += `; filename="${part.filename}"`;
    if (part.filenameStar !== undefined) disposition += `; filename*=${part.filenameStar}`;
    const headers = [disposition];
    if (part.contentType !== undefined) headers.push(`Content-Type: ${part.contentType}`);
    chunks.push(Buffer.from(`--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`, 'utf8'));
    const content = part.content ?? part.value ?? '';
    chunks.push(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Text fields as parts, in order. */
export const textParts = (fields: Readonly<Record<string, string>>): FormPart[] =>
  Object.entries(fields).map(([name, value]) => ({ name, value }));

/** A small but real PDF: a file a customer attaches to a ticket. */
export const INVOICE_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
