import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3AttachmentStore } from '../../../lib/adapters/attachments/s3-attachment-store.ts';
import { attachmentKey } from '../../../lib/domain/attachments/attachment-keys.ts';
import { attachmentStoreContract } from '../../support/attachment-store-contract.ts';
import { motoClientConfig, useMotoServer } from '../../support/moto-server.ts';

const moto = useMotoServer();
const BUCKET = 'atende-attachments';
let client: S3Client;

beforeAll(async () => {
  client = new S3Client(motoClientConfig(moto().endpoint));
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => {
  client?.destroy();
});

attachmentStoreContract('S3AttachmentStore', () => new S3AttachmentStore({ client, bucket: BUCKET }));

describe('S3AttachmentStore against moto', () => {
  it("stores a file under its ticket's prefix with its declared type", async () => {
    const key = attachmentKey(1042, 'd'.repeat(64), 'screen shot.png');

    await new S3AttachmentStore({ client, bucket: BUCKET }).put(key, {
      content: new Uint8Array([0x89, 0x50]),
      contentType: 'image/png',
    });

    // HEAD, not GET: a GET's body left unread keeps its socket, and destroying the client then
    // aborts it with an uncaught ECONNRESET (this file failed a run that way).
    const object = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(key).toBe(`tickets/1042/attachments/${'d'.repeat(64)}/screen shot.png`);
    expect(object.ContentType).toBe('image/png');
  });
});
