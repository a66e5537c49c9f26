import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { AttachmentStore, StoredFile } from '../../application/ports/attachment-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { checkedAttachmentKey } from '../../domain/attachments/attachment-keys.ts';

export interface S3AttachmentStoreOptions {
  readonly client: S3Client;
  /** The raw-mail bucket, unless ATENDE_ATTACHMENT_BUCKET names another. */
  readonly bucket: string;
}

/**
 * Attachments in S3 under their ticket's prefix (`tickets/<n>/attachments/<sha256>/<safe name>`),
 * with their declared type as the object's Content-Type. The bucket is private: agents fetch a
 * file with `atende attachments get`, never by a public link.
 */
export class S3AttachmentStore implements AttachmentStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3AttachmentStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
  }

  async put(key: string, file: StoredFile): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: checkedAttachmentKey(key),
        Body: file.content,
        ContentType: file.contentType,
        ContentLength: file.content.byteLength,
      }),
    );
  }

  async get(key: string): Promise<StoredFile> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: checkedAttachmentKey(key) }),
      );
      const content = response.Body === undefined ? new Uint8Array() : await response.Body.transformToByteArray();
      return { content, contentType: response.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.name === 'NoSuchKey')) {
        throw new AtendeError('attachment.notFound', `no attachment ${key} in ${this.bucket}`, {
          cause: error,
          details: { bucket: this.bucket, key },
        });
      }
      throw error;
    }
  }
}
