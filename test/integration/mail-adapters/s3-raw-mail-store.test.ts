import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RawMailStore } from '../../../lib/adapters/raw-mail/s3-raw-mail-store.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { motoClientConfig, useMotoServer } from '../../support/moto-server.ts';

const moto = useMotoServer();
const BUCKET = 'atende-raw-mail';
let client: S3Client;

beforeAll(async () => {
  client = new S3Client(motoClientConfig(moto().endpoint));
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => {
  // Unset when moto_server failed to start; that failure is the one to report.
  client?.destroy();
});

const failure = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const raw = (body: string) => new Uint8Array(Buffer.from(`From: ana@cliente.example\r\nSubject: Olá\r\n\r\n${body}`));

describe('S3RawMailStore against moto', () => {
  it('gives back, byte for byte, what was put under its prefix', async () => {
    const store = new S3RawMailStore({ client, bucket: BUCKET, prefix: 'inbound/' });
    const message = raw('ação\r\n'.repeat(1_000));

    await store.put('0p1q2r3s', message);

    expect(Buffer.from(await store.get('0p1q2r3s')).equals(Buffer.from(message))).toBe(true);
  });

  it("reads what SES's receipt rule stored under <prefix><messageId>", async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ses/abcdef123', Body: raw('from SES') }));

    const got = await new S3RawMailStore({ client, bucket: BUCKET, prefix: 'ses/' }).get('abcdef123');

    expect(Buffer.from(got).toString('utf8')).toContain('from SES');
  });

  it('refuses an object over the limit (mail.tooLarge) with its real size', async () => {
    const store = new S3RawMailStore({ client, bucket: BUCKET, maxBytes: 4_096 });
    await store.put('large', new Uint8Array(64 * 1024));

    const error = await failure(store.get('large'));

    expect(isAtendeError(error, 'mail.tooLarge')).toBe(true);
    expect(isAtendeError(error) && error.details['size']).toBe(64 * 1024);
    expect(await store.get('large', { maxBytes: 64 * 1024 })).toHaveLength(64 * 1024);
  });

  it('fails with mail.rawNotFound for a key S3 does not have', async () => {
    expect(
      isAtendeError(
        await failure(new S3RawMailStore({ client, bucket: BUCKET }).get('never-stored')),
        'mail.rawNotFound',
      ),
    ).toBe(true);
  });
});
