import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { AttachmentStore, StoredFile } from '../../application/ports/attachment-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { checkedAttachmentKey } from '../../domain/attachments/attachment-keys.ts';

const isMissing = (error: unknown): boolean => error instanceof Error && 'code' in error && error.code === 'ENOENT';

/** The declared type is kept beside the file, since a file system keeps none. */
const TYPE_SUFFIX = '.type';

/**
 * The local stack's attachments, one file per key under a folder (`<ATENDE_DATA_DIR>/attachments/`):
 * `tickets/1000/attachments/<sha256>/invoice.pdf` is that relative path. Keys are checked to be
 * ones attachmentKey makes (one safe name, no `..`, no separators) and the path to stay inside
 * the folder, so a hostile file name cannot write anywhere else.
 */
export class FileAttachmentStore implements AttachmentStore {
  private readonly directory: string;

  constructor(directory: string) {
    this.directory = resolve(directory);
  }

  /** The file for a key, checked to be inside the folder. */
  pathFor(key: string): string {
    const path = resolve(this.directory, ...checkedAttachmentKey(key).split('/'));
    if (!path.startsWith(this.directory + sep))
      throw new AtendeError('attachment.invalidKey', 'the attachment key leaves the folder', { details: { key } });
    return path;
  }

  /** Written to a temporary file, synced, then renamed: a reader never sees half a file. */
  async put(key: string, file: StoredFile): Promise<void> {
    const path = this.pathFor(key);
    await mkdir(dirname(path), { recursive: true });
    await writeAtomically(path, file.content);
    await writeAtomically(`${path}${TYPE_SUFFIX}`, Buffer.from(file.contentType, 'utf8'));
  }

  async get(key: string): Promise<StoredFile> {
    const path = this.pathFor(key);
    try {
      const content = new Uint8Array(await readFile(path));
      const contentType = await readFile(`${path}${TYPE_SUFFIX}`, 'utf8').catch((error: unknown) => {
        if (isMissing(error)) return 'application/octet-stream';
        throw error;
      });
      return { content, contentType };
    } catch (error) {
      if (isMissing(error))
        throw new AtendeError('attachment.notFound', `no attachment ${key} in ${this.directory}`, {
          cause: error,
          details: { key, directory: this.directory },
        });
      throw error;
    }
  }
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  // Safe names never start with a dot, so a temporary name cannot be a stored file's.
  const temporary = join(dirname(path), `.tmp-${randomUUID()}`);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
