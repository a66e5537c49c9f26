import { type FSWatcher, watch } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OUTBOX_FILE, type OutboxRecord, OutboxRecordSchema } from '../lib/adapters/mail/outbox.ts';

/** An acknowledgement as the outbox shows it, and when this process first saw it (performance.now()). */
export interface ObservedAcknowledgement {
  readonly record: OutboxRecord;
  readonly seenAt: number;
}

/** Reads the outbox again at least this often, in case a change notification was missed. */
const FALLBACK_MS = 250;

/**
 * Follows the local stack's outbox (outbox.jsonl in its data directory) as it grows: woken by
 * the directory's change notifications (inotify on Linux), it reads only the bytes appended
 * since the last read, so watching costs nothing while no mail goes out and does not grow with
 * the outbox. Each acknowledgement (Auto-Submitted: auto-replied) is kept by the Message-ID it
 * answers, with the moment it was seen.
 */
export class OutboxTail {
  private readonly seen = new Map<string, ObservedAcknowledgement>();
  private readonly waiting = new Map<string, (seen: ObservedAcknowledgement) => void>();
  private readonly path: string;
  private file: FileHandle | null = null;
  private offset = 0;
  private partial = '';
  private chain: Promise<void> = Promise.resolve();
  private queued = false;
  private failure: unknown = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Every record read so far, acknowledgements or not, oldest first. */
  private readonly all: OutboxRecord[] = [];

  constructor(private readonly dataDirectory: string) {
    this.path = join(dataDirectory, OUTBOX_FILE);
  }

  start(): void {
    this.watcher = watch(this.dataDirectory, (_event, name) => {
      if (name === null || name === OUTBOX_FILE) void this.poke();
    });
    this.timer = setInterval(() => void this.poke(), FALLBACK_MS);
    void this.poke();
  }

  /** The acknowledgement answering `messageId`, once it is out; null after `timeoutMs`. */
  acknowledgementOf(messageId: string, timeoutMs: number): Promise<ObservedAcknowledgement | null> {
    const known = this.seen.get(messageId);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(messageId);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(messageId, (seen) => {
        clearTimeout(timer);
        resolve(seen);
      });
    });
  }

  /** Reads up to the end of the outbox as it is now; returns how many records it holds. */
  async catchUp(): Promise<number> {
    await this.poke();
    if (this.failure !== null) throw this.failure;
    return this.all.length;
  }

  /** Every record read so far, oldest first. */
  records(): readonly OutboxRecord[] {
    return this.all;
  }

  /** Reads what is left to read, then stops following. */
  async stop(): Promise<void> {
    this.watcher?.close();
    if (this.timer !== null) clearInterval(this.timer);
    try {
      await this.catchUp();
    } finally {
      await this.file?.close();
    }
  }

  /**
   * One read at a time, in a chain; a notification while a read waits to start joins it (that
   * read goes to the end of the file as it is when it starts). The first failure (a line that
   * is not an outbox record) is kept for catchUp and stop to throw.
   */
  private poke(): Promise<void> {
    if (this.queued) return this.chain;
    this.queued = true;
    this.chain = this.chain.then(async () => {
      this.queued = false;
      if (this.failure !== null) return;
      try {
        await this.readAppended();
      } catch (error) {
        this.failure = error;
      }
    });
    return this.chain;
  }

  private async readAppended(): Promise<void> {
    if (this.file === null) {
      try {
        this.file = await open(this.path, 'r');
      } catch (error) {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return;
        throw error;
      }
    }
    const { size } = await this.file.stat();
    if (size <= this.offset) return;
    const bytes = Buffer.alloc(size - this.offset);
    const { bytesRead } = await this.file.read(bytes, 0, bytes.length, this.offset);
    this.offset += bytesRead;
    const seenAt = performance.now();
    // A line cut at a multi-byte character is finished by the next read, so decode whole lines only.
    const text = this.partial + bytes.subarray(0, bytesRead).toString('latin1');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') this.take(Buffer.from(line, 'latin1').toString('utf8'), seenAt);
  }

  private take(line: string, seenAt: number): void {
    const record = OutboxRecordSchema.parse(JSON.parse(line));
    this.all.push(record);
    if (record.headers['Auto-Submitted'] !== 'auto-replied' || record.inReplyTo === null) return;
    if (this.seen.has(record.inReplyTo)) return;
    const observed = { record, seenAt };
    this.seen.set(record.inReplyTo, observed);
    this.waiting.get(record.inReplyTo)?.(observed);
    this.waiting.delete(record.inReplyTo);
  }
}
