import type { AttachmentStore, StoredFile } from '../../application/ports/attachment-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { checkedAttachmentKey } from '../../domain/attachments/attachment-keys.ts';

/** Attachments in memory, for use-case tests: the same keys and errors as the file and S3 stores. */
export class InMemoryAttachmentStore implements AttachmentStore {
  private readonly files = new Map<string, StoredFile>();
  /** How many times each key was put (a repeated settle puts again; the bytes stay the same). */
  readonly puts = new Map<string, number>();

  async put(key: string, file: StoredFile): Promise<void> {
    checkedAttachmentKey(key);
    this.files.set(key, { content: new Uint8Array(file.content), contentType: file.contentType });
    this.puts.set(key, (this.puts.get(key) ?? 0) + 1);
  }

  async get(key: string): Promise<StoredFile> {
    checkedAttachmentKey(key);
    const file = this.files.get(key);
    if (file === undefined) throw new AtendeError('attachment.notFound', `no attachment ${key}`, { details: { key } });
    return { content: new Uint8Array(file.content), contentType: file.contentType };
  }

  /** The keys stored, in the order first put. */
  keys(): string[] {
    return [...this.files.keys()];
  }
}
