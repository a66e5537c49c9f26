import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3RawMailStore } from '../../../lib/adapters/raw-mail/s3-raw-mail-store.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const store = new S3RawMailStore({ client, bucket: 'atende-mail', prefix: 'inbound/', maxBytes: 1_000 });

/** A body stream that records how much of it was read, and whether it was closed. */
const trackedBody = (chunks: Buffer[]) => {
  const state = { chunksRead: 0, destroyed: false };
  const stream = Readable.from(
    (function* () {
      for (const chunk of chunks) {
        state.chunksRead += 1;
        yield chunk;
      }
    })(),
  );
  stream.once('close', () => {
    state.destroyed = stream.destroyed;
  });
  // The SDK's Body is a Readable with transform helpers mixed in; the store only reads it as a Readable.
  return { body: stream as unknown as GetObjectCommandOutput['Body'], state };
};

const failure = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

beforeEach(() => {
  s3.reset();
});
afterAll(() => {
  s3.restore();
});

describe('reading raw mail from S3', () => {
  it('gets <prefix><key> from the bucket and returns its bytes', async () => {
    const { body } = trackedBody([Buffer.from('From: a@b\r\n'), Buffer.from('\r\nhello')]);
    s3.on(GetObjectCommand).resolves({ Body: body, ContentLength: 18 });

    const raw = await store.get('0p1q2r3s');

    expect(Buffer.from(raw).toString()).toBe('From: a@b\r\n\r\nhello');
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'atende-mail', Key: 'inbound/0p1q2r3s' },
    ]);
  });

  it('refuses an object over the limit from its Content-Length, before reading the body, and closes the stream', async () => {
    const { body, state } = trackedBody([Buffer.alloc(600), Buffer.alloc(600)]);
    s3.on(GetObjectCommand).resolves({ Body: body, ContentLength: 1_200 });

    const error = await failure(store.get('big'));

    expect(isAtendeError(error, 'mail.tooLarge')).toBe(true);
    expect(isAtendeError(error) && error.details).toMatchObject({ size: 1_200, maxBytes: 1_000, key: 'inbound/big' });
    expect(state.chunksRead).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.destroyed).toBe(true);
  });

  it('stops reading a body that outgrows the limit when Content-Length understated it', async () => {
    const { body, state } = trackedBody([Buffer.alloc(600), Buffer.alloc(600), Buffer.alloc(600)]);
    s3.on(GetObjectCommand).resolves({ Body: body, ContentLength: 10 });

    expect(isAtendeError(await failure(store.get('liar')), 'mail.tooLarge')).toBe(true);
    expect(state.chunksRead).toBe(2);
  });

  it("takes a per-call limit over the store's", async () => {
    const { body } = trackedBody([Buffer.alloc(500)]);
    s3.on(GetObjectCommand).resolves({ Body: body, ContentLength: 500 });

    expect(isAtendeError(await failure(store.get('k', { maxBytes: 100 })), 'mail.tooLarge')).toBe(true);
  });

  it('turns NoSuchKey into mail.rawNotFound, keeping the cause', async () => {
    const cause = new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    s3.on(GetObjectCommand).rejects(cause);

    const error = await failure(store.get('gone'));

    expect(isAtendeError(error, 'mail.rawNotFound')).toBe(true);
    expect(isAtendeError(error) && error.cause).toBe(cause);
  });

  it('rethrows other S3 errors (AccessDenied is not "not found")', async () => {
    const cause = new S3ServiceException({
      name: 'AccessDenied',
      message: 'Access Denied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });
    s3.on(GetObjectCommand).rejects(cause);

    expect(await failure(store.get('secret'))).toBe(cause);
  });

  it('returns no bytes for an object without a body', async () => {
    s3.on(GetObjectCommand).resolves({ ContentLength: 0 });

    expect(await store.get('empty')).toEqual(new Uint8Array());
  });
});

describe('storing raw mail in S3', () => {
  it('puts the bytes under <prefix><key> as message/rfc822', async () => {
    s3.on(PutObjectCommand).resolves({});
    const raw = new Uint8Array(Buffer.from('From: a@b\r\n\r\nhi'));

    await store.put('local-1', raw);

    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      {
        Bucket: 'atende-mail',
        Key: 'inbound/local-1',
        Body: raw,
        ContentType: 'message/rfc822',
        ContentLength: raw.byteLength,
      },
    ]);
  });

  it("uses no prefix when given none, and SES's 40 MB limit by default", async () => {
    const plain = new S3RawMailStore({ client, bucket: 'b' });
    const { body } = trackedBody([]);
    s3.on(GetObjectCommand).resolves({ Body: body, ContentLength: 40 * 1000 * 1000 + 1 });

    expect(isAtendeError(await failure(plain.get('k')), 'mail.tooLarge')).toBe(true);
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({ Bucket: 'b', Key: 'k' });
  });
});
