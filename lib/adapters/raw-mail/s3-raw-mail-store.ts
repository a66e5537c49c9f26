import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { RawMailStore } from '../../application/ports/raw-mail-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { DEFAULT_MAIL_LIMITS } from '../../domain/mail/mail-limits.ts';

export interface S3RawMailStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Prepended to every key: the object key prefix of the SES receipt rule's S3 action, e.g. `inbound/`. */
  readonly prefix?: string;
  /** The size limit when `get` is given none; default DEFAULT_MAIL_LIMITS.maxRawBytes (SES's 40 MB). */
  readonly maxBytes?: number;
}

const tooLarge = (key: string, size: number | undefined, maxBytes: number) =>
  new AtendeError(
    'mail.tooLarge',
    `raw mail ${key} is ${size === undefined ? 'more than' : `${size} bytes,`} over the limit of ${maxBytes} bytes`,
    {
      details: { key, size, maxBytes },
    },
  );

/** A chunk of a byte stream: a Buffer from the SDK's HTTP handler; anything else is not mail. */
const toBuffer = (chunk: unknown): Buffer => {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError(`the S3 body stream yielded a ${typeof chunk}, not bytes`);
};

/**
 * Raw inbound mail in S3, where SES's receipt rule put it (`<prefix><SES messageId>`).
 *
 * `get` reads the size from GetObject's response headers and refuses an object over the limit
 * before reading a byte of its body (one request: a HeadObject first would leave a window for
 * the object to change between the two). The body is still counted as it streams in, so a
 * missing or wrong Content-Length cannot make it read more.
 */
export class S3RawMailStore implements RawMailStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly maxBytes: number;

  constructor(options: S3RawMailStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.maxBytes = options.maxBytes ?? DEFAULT_MAIL_LIMITS.maxRawBytes;
  }

  async get(key: string, options: { maxBytes?: number } = {}): Promise<Uint8Array> {
    const maxBytes = options.maxBytes ?? this.maxBytes;
    const objectKey = `${this.prefix}${key}`;
    let response: GetObjectCommandOutput;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.name === 'NoSuchKey')) {
        throw new AtendeError('mail.rawNotFound', `no raw mail ${objectKey} in ${this.bucket}`, {
          cause: error,
          details: { bucket: this.bucket, key: objectKey },
        });
      }
      throw error;
    }
    const body = response.Body;
    if (response.ContentLength !== undefined && response.ContentLength > maxBytes) {
      // Closing the stream drops the connection instead of downloading up to 40 MB for nothing.
      if (body instanceof Readable) body.destroy();
      throw tooLarge(objectKey, response.ContentLength, maxBytes);
    }
    if (body === undefined) return new Uint8Array();
    if (!(body instanceof Readable)) {
      // Not Node's stream (the SDK in a browser runtime): the length was checked above, check again after reading.
      const bytes = await body.transformToByteArray();
      if (bytes.byteLength > maxBytes) throw tooLarge(objectKey, bytes.byteLength, maxBytes);
      return bytes;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      const bytes = toBuffer(chunk);
      size += bytes.byteLength;
      if (size > maxBytes) {
        body.destroy();
        throw tooLarge(objectKey, undefined, maxBytes);
      }
      chunks.push(bytes);
    }
    return new Uint8Array(Buffer.concat(chunks, size));
  }

  async put(key: string, raw: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${this.prefix}${key}`,
        Body: raw,
        ContentType: 'message/rfc822',
        ContentLength: raw.byteLength,
      }),
    );
  }
}
