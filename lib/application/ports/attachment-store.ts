/** A stored attachment's bytes with what it was declared as. */
export interface StoredFile {
  readonly content: Uint8Array;
  readonly contentType: string;
}

/**
 * Where the files of tickets' messages are kept, by key (attachment-keys.ts: `tickets/<n>/
 * attachments/<sha256>/<safe name>`): S3 on AWS, a folder locally, memory in tests. A key is
 * content-addressed, so putting the same key again puts the same bytes: a repeated settle is
 * harmless. Keys that attachmentKey could not have made fail with `attachment.invalidKey`.
 */
export interface AttachmentStore {
  /** Stores a file; durable once it resolves (the mail that attaches it is sent after). */
  put(key: string, file: StoredFile): Promise<void>;
  /** The file under `key`; fails with `attachment.notFound` when there is none. */
  get(key: string): Promise<StoredFile>;
}
