import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileAttachmentStore } from '../../../lib/adapters/attachments/file-attachment-store.ts';
import { attachmentKey } from '../../../lib/domain/attachments/attachment-keys.ts';
import { attachmentStoreContract } from '../../support/attachment-store-contract.ts';

const root = await mkdtemp(join(tmpdir(), 'atende-attachments-'));
afterAll(() => rm(root, { recursive: true, force: true }));

attachmentStoreContract('FileAttachmentStore', () => new FileAttachmentStore(join(root, 'attachments')));

describe('FileAttachmentStore on disk', () => {
  it('keeps a file named to climb out of its folder inside the ticket’s folder', async () => {
    const folder = join(root, 'hostile', 'attachments');
    const store = new FileAttachmentStore(folder);
    const key = attachmentKey(1000, 'c'.repeat(64), '../../../../tmp/evil.sh');

    await store.put(key, { content: new Uint8Array([35, 33]), contentType: 'text/x-sh' });

    expect(store.pathFor(key)).toBe(join(folder, 'tickets', '1000', 'attachments', 'c'.repeat(64), 'evil.sh'));
    expect(await readdir(join(root, 'hostile'))).toEqual(['attachments']);
  });
});
