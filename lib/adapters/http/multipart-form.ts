import busboy from 'busboy';

/**
 * A `multipart/form-data` body (RFC 7578) split by busboy: a streaming parser with a limit for
 * every count and size, linear in the body (its boundary search is Boyer-Moore-Horspool), and the
 * parser behind multer and fastify's multipart. The carrier has already bounded the body; the
 * limits here bound what is kept of it.
 */
export interface MultipartLimits {
  /** Bytes of one text field; a longer value is cut there and its name reported in `truncated`. */
  readonly maxFieldBytes: number;
  /** Parts of any kind (fields and files); a body of more is `too-many-parts`. */
  readonly maxParts: number;
}

/** A file part as posted: busboy has already cut any path from its name (`C:\\x\\a.pdf` is `a.pdf`). */
export interface PostedFile {
  /** The form field it came in. */
  readonly field: string;
  /** As the part names it (`filename*` decoded per RFC 5987), or null when it names none. */
  readonly filename: string | null;
  /** The part's `type/subtype` (text/plain when it declares none). */
  readonly contentType: string;
  readonly content: Buffer;
}

export type MultipartReading =
  | {
      readonly kind: 'read';
      /** Text fields in a null-prototype record (`__proto__` is a plain key); a repeated one keeps its first value. */
      readonly fields: Readonly<Record<string, string>>;
      /** Names of the text fields cut at `maxFieldBytes`, not in `fields`. */
      readonly truncated: readonly string[];
      /** Files in the order posted, empty ones left out (a browser posts an untouched file input as an empty part). */
      readonly files: readonly PostedFile[];
    }
  | { readonly kind: 'too-many-parts' }
  /** No boundary, a truncated body, a malformed part header: nothing of it is used. */
  | { readonly kind: 'malformed'; readonly reason: string };

/** The form's parts, or why the body is not a form we read. Never throws. */
export function readMultipartForm(
  contentType: string,
  body: Buffer,
  limits: MultipartLimits,
): Promise<MultipartReading> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      // Browsers write field values and file names in the page's charset (ours is UTF-8), unescaped.
      defCharset: 'utf8',
      defParamCharset: 'utf8',
      limits: { fieldSize: limits.maxFieldBytes, parts: limits.maxParts, fieldNameSize: 200 },
    });
  } catch (error) {
    // busboy refuses a Content-Type without a boundary when it is built.
    return Promise.resolve({ kind: 'malformed', reason: error instanceof Error ? error.message : String(error) });
  }
  return new Promise((resolve) => {
    const fields: Record<string, string> = Object.create(null);
    const truncated: string[] = [];
    const files: PostedFile[] = [];
    let tooManyParts = false;
    let settled = false;
    const settle = (reading: MultipartReading) => {
      if (settled) return;
      settled = true;
      resolve(reading);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) truncated.push(name);
      else if (!Object.hasOwn(fields, name)) fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      // A truncated body destroys the open file's stream with an error; the parser reports the same one below.
      stream.on('error', () => undefined);
      stream.on('end', () => {
        const content = Buffer.concat(chunks);
        if (content.length === 0) return;
        files.push({ field, filename: info.filename ?? null, contentType: info.mimeType.toLowerCase(), content });
      });
    });
    parser.on('partsLimit', () => {
      tooManyParts = true;
    });
    parser.on('error', (error: unknown) =>
      settle({ kind: 'malformed', reason: error instanceof Error ? error.message : String(error) }),
    );
    parser.on('close', () =>
      settle(tooManyParts ? { kind: 'too-many-parts' } : { kind: 'read', fields, truncated, files }),
    );
    parser.end(body);
  });
}
