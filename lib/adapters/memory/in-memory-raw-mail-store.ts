import type { RawMailStore } from '../../application/ports/raw-mail-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';

/** Raw mail in memory, for use-case tests: the same errors as the S3 and file stores. */
export class InMemoryRawMailStore implements RawMailStore {
  private readonly messages = new Map<string, Uint8Array>();

  async get(key: string, options: { maxBytes?: number } = {}): Promise<Uint8Array> {
    const raw = this.messages.get(key);
    if (raw === undefined)
      throw new AtendeError('mail.rawNotFound', `No raw mail stored under ${key}`, { details: { key } });
    if (options.maxBytes !== undefined && raw.byteLength > options.maxBytes) {
      throw new AtendeError(
        'mail.tooLarge',
        `Raw mail ${key} has ${raw.byteLength} bytes, more than ${options.maxBytes}`,
        { details: { key, size: raw.byteLength } },
      );
    }
    return new Uint8Array(raw);
  }

  async put(key: string, raw: Uint8Array): Promise<void> {
    this.messages.set(key, new Uint8Array(raw));
  }

  /** The keys stored, in the order first put. */
  keys(): string[] {
    return [...this.messages.keys()];
  }
}
