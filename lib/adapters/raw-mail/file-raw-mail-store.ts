import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { RawMailStore } from '../../application/ports/raw-mail-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { DEFAULT_MAIL_LIMITS } from '../../domain/mail/mail-limits.ts';

export interface FileRawMailStoreOptions {
  /** The size limit when `get` is given none; default DEFAULT_MAIL_LIMITS.maxRawBytes. */
  readonly maxBytes?: number;
}

/** Most file systems allow 255 bytes in a name; an encoded key may take three per byte of the key. */
const MAX_FILE_NAME_BYTES = 240;

/**
 * The file name for a key: every byte outside `[A-Za-z0-9._-]` as `%XX`, and a leading dot too.
 * So a key holds no `/` or `\`, is never `.` or `..` and never a hidden file: `../../etc/passwd`
 * becomes `%2E.%2F..%2Fetc%2Fpasswd`, a plain name inside the folder. Distinct keys give distinct
 * names (`%` itself is encoded).
 */
export const fileNameForKey = (key: string): string => {
  if (key === '') throw new AtendeError('mail.invalidKey', 'a raw-mail key cannot be empty', { details: { key } });
  const encoded = [...Buffer.from(key, 'utf8')]
    .map((byte, index) => {
      const char = String.fromCharCode(byte);
      const plain = /[A-Za-z0-9._-]/.test(char) && !(index === 0 && char === '.');
      return plain ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  if (encoded.length > MAX_FILE_NAME_BYTES) {
    throw new AtendeError(
      'mail.invalidKey',
      `the raw-mail key is too long for a file name (${encoded.length} bytes encoded)`,
      { details: { key: key.slice(0, 80) } },
    );
  }
  return encoded;
};

/** fsync of a folder: what makes a new or renamed entry in it survive a crash (see fsync(2)). */
async function syncDirectory(directory: string): Promise<void> {
  const folder = await open(directory, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

const isMissing = (error: unknown): boolean => error instanceof Error && 'code' in error && error.code === 'ENOENT';

/** Raw mail in a folder, one file per key: the local stack's twin of S3RawMailStore. */
export class FileRawMailStore implements RawMailStore {
  private readonly directory: string;
  private readonly maxBytes: number;

  constructor(directory: string, options: FileRawMailStoreOptions = {}) {
    this.directory = resolve(directory);
    this.maxBytes = options.maxBytes ?? DEFAULT_MAIL_LIMITS.maxRawBytes;
  }

  /** The file for a key; checked to be directly inside the folder even though the encoding already guarantees it. */
  pathFor(key: string): string {
    const path = join(this.directory, fileNameForKey(key));
    if (!path.startsWith(this.directory + sep))
      throw new AtendeError('mail.invalidKey', 'the raw-mail key leaves the folder', { details: { key } });
    return path;
  }

  async get(key: string, options: { maxBytes?: number } = {}): Promise<Uint8Array> {
    const maxBytes = options.maxBytes ?? this.maxBytes;
    const path = this.pathFor(key);
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch (error) {
      if (isMissing(error))
        throw new AtendeError('mail.rawNotFound', `no raw mail ${JSON.stringify(key)} in ${this.directory}`, {
          cause: error,
          details: { key, directory: this.directory },
        });
      throw error;
    }
    try {
      // The size of the file we opened (not of whatever the name points at later), before reading it.
      const { size } = await file.stat();
      if (size > maxBytes)
        throw new AtendeError(
          'mail.tooLarge',
          `raw mail ${JSON.stringify(key)} is ${size} bytes, over the limit of ${maxBytes}`,
          { details: { key, size, maxBytes } },
        );
      return new Uint8Array(await file.readFile());
    } finally {
      await file.close();
    }
  }

  /**
   * Durable when it returns, because the SMTP listener answers 250 only after this and the
   * client then forgets the mail: the bytes go to a temporary file that is fsynced, then renamed
   * to the key's name, then the folder is fsynced so the rename itself survives a power cut
   * (POSIX rename is atomic but not durable without it). A reader never sees half a message, and
   * a crash leaves at most a temporary file, never a key with partial bytes.
   */
  async put(key: string, raw: Uint8Array): Promise<void> {
    const path = this.pathFor(key);
    await this.ensureDirectory();
    // Encoded keys never start with a dot, so a temporary name cannot be a key's file.
    const temporary = join(this.directory, `.tmp-${randomUUID()}`);
    try {
      const file = await open(temporary, 'wx');
      try {
        await file.writeFile(raw);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await syncDirectory(this.directory);
  }

  /** Creates the folder on first use, and makes each new folder's own entry durable in its parent. */
  private async ensureDirectory(): Promise<void> {
    const firstCreated = await mkdir(this.directory, { recursive: true });
    if (firstCreated === undefined) return;
    const first = resolve(firstCreated);
    for (let created = this.directory; created !== dirname(created); created = dirname(created)) {
      await syncDirectory(dirname(created));
      if (created === first) return;
    }
  }

  /** Whether a key is stored (for tests and `atende ingest`). */
  async has(key: string): Promise<boolean> {
    try {
      await stat(this.pathFor(key));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }
}
