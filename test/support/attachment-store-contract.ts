import { describe, expect, it } from 'vitest';
import type { AttachmentStore } from '../../lib/application/ports/attachment-store.ts';
import { isAtendeError } from '../../lib/domain/atende-error.ts';
import { attachmentKey } from '../../lib/domain/attachments/attachment-keys.ts';

const HASH = 'b'.repeat(64);

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** What every AttachmentStore does: the file and S3 stores run it (the in-memory one in unit specs). */
export function attachmentStoreContract(name: string, storeFor: () => AttachmentStore): void {
  describe(`${name}, as every attachment store`, () => {
    it('gives back, byte for byte and with its type, what was put under a key', async () => {
      const store = storeFor();
      const key = attachmentKey(1000, HASH, 'Relatório de março.pdf');
      const content = new Uint8Array(Buffer.from('%PDF-1.7 ação '.repeat(500)));

      await store.put(key, { content, contentType: 'application/pdf' });

      const got = await store.get(key);
      expect(Buffer.from(got.content).equals(Buffer.from(content))).toBe(true);
      expect(got.contentType).toBe('application/pdf');
    });

    it('puts the same key again harmlessly', async () => {
      const store = storeFor();
      const key = attachmentKey(1001, HASH, 'log.txt');
      const file = { content: new Uint8Array([1, 2, 3]), contentType: 'text/plain' };

      await store.put(key, file);
      await store.put(key, file);

      expect((await store.get(key)).content).toEqual(file.content);
    });

    it('fails attachment.notFound for a key never put', async () => {
      const error = await failure(storeFor().get(attachmentKey(1002, HASH, 'missing.txt')));

      expect(isAtendeError(error, 'attachment.notFound')).toBe(true);
    });

    it.each([
      `tickets/1000/attachments/${HASH}/../../../../etc/passwd`,
      '../outside',
      `tickets/1/attachments/${HASH}/.x`,
    ])('refuses a key no attachment could have, %s, before touching anything', async (key) => {
      const store = storeFor();

      const error = await failure(store.put(key, { content: new Uint8Array([0]), contentType: 'text/plain' }));

      expect(isAtendeError(error, 'attachment.invalidKey')).toBe(true);
      expect(isAtendeError(await failure(store.get(key)), 'attachment.invalidKey')).toBe(true);
    });
  });
}
