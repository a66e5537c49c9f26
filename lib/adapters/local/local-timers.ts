import type { Stats } from 'node:fs';
import { type FileHandle, mkdir, open, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import * as z from 'zod';
import {
  checkedScheduleName,
  SCHEDULE_NAME,
  type ScheduledTimer,
  TimerFiringSchema,
  type TimerScheduler,
} from '../../application/ports/timer-scheduler.ts';
import { AtendeError } from '../../domain/atende-error.ts';

/** The local stack's pending timers, in its data directory: a restart keeps them. */
export const TIMERS_FILE = 'timers.json';
/** Held while timers fire, so two processes never fire the same one. */
const FIRING_LOCK = 'timers.firing';
/** A lock its process stopped refreshing this long ago (it died) is taken over. */
const LOCK_STALE_MS = 10_000;

const StoredTimerSchema = z.strictObject({
  name: z.string().regex(SCHEDULE_NAME),
  at: z.number().int(),
  timeZone: z.string(),
  firing: TimerFiringSchema,
});
const TimersFileSchema = z.strictObject({ timers: z.array(StoredTimerSchema) });

/** A change waiting for the next write, and its caller's promise. */
interface QueuedEdit {
  readonly edit: (timers: ScheduledTimer[]) => ScheduledTimer[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The local stand-in for EventBridge Scheduler: timers by name in a file, fired by the stack's
 * clock rather than the wall clock (`fireDue`), so a test can move time and see what fires.
 * Like Scheduler, a timer fires at least once: it goes from the file only after its firing
 * returned, so a crash in between fires it again (the timer handler makes that harmless).
 *
 * One stack owns a data directory, and its writes are serialised here, so the file is never
 * written by two at once; each write replaces the file whole (a rename), never half. Each write
 * costs as much as the file is long, so the changes that arrive while one is written go
 * together into the next (web posts at once each put a timer: one write, not one each), and the
 * file last read or written is kept parsed until its stat says another process replaced it.
 */
export class LocalTimers implements TimerScheduler {
  private readonly edits: QueuedEdit[] = [];
  private writing: Promise<void> | null = null;
  private known: { readonly stamp: string; readonly timers: readonly ScheduledTimer[] } | null = null;

  constructor(private readonly dataDirectory: string) {}

  async put(timer: ScheduledTimer): Promise<void> {
    checkedScheduleName(timer.name);
    await this.change((timers) => [
      ...timers.filter((held) => held.name !== timer.name),
      StoredTimerSchema.parse(timer),
    ]);
  }

  /** Locally a put is one write either way. */
  move(timer: ScheduledTimer): Promise<void> {
    return this.put(timer);
  }

  remove(name: string): Promise<void> {
    return this.change((timers) => timers.filter((held) => held.name !== name));
  }

  /** Every timer held, earliest first (`atende timers`). */
  async pending(): Promise<ScheduledTimer[]> {
    await this.writing;
    return byTime(await this.read());
  }

  /**
   * Fires, earliest first, every timer due at `now`, each taken off only once `fire` returned;
   * a timer a firing puts (the next escalation level) fires too if it is due by then. A firing
   * that throws stays held and stops the round (as Scheduler would retry it), and the error is
   * passed on. Returns the timers fired.
   */
  async fireDue(
    now: number | (() => number),
    fire: (timer: ScheduledTimer) => Promise<void>,
    options: { readonly wait?: boolean } = {},
  ): Promise<ScheduledTimer[]> {
    // One round at a time across processes (the stack's loop, `atende clock advance`): a timer is fired by one of them.
    const release = await this.lock(FIRING_LOCK, options.wait ?? true);
    try {
      return await this.fireRound(typeof now === 'number' ? () => now : now, fire);
    } finally {
      await release();
    }
  }

  private async fireRound(
    now: () => number,
    fire: (timer: ScheduledTimer) => Promise<void>,
  ): Promise<ScheduledTimer[]> {
    const fired: ScheduledTimer[] = [];
    // A firing that puts its own timer back at the same instant must not fire it forever.
    const firedKeys = new Set<string>();
    for (;;) {
      const next = (await this.pending()).find(
        (timer) => timer.at <= now() && !firedKeys.has(`${timer.name}@${timer.at}`),
      );
      if (next === undefined) return fired;
      await fire(next);
      // Taken off only if the firing did not plan it again (same name, a new time).
      await this.change((timers) => timers.filter((held) => !(held.name === next.name && held.at === next.at)));
      fired.push(next);
      firedKeys.add(`${next.name}@${next.at}`);
    }
  }

  /** Resolves once the edit is in the file; an edit that throws fails alone, the others of its write are kept. */
  private change(edit: (timers: ScheduledTimer[]) => ScheduledTimer[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.edits.push({ edit, resolve, reject });
      this.writing ??= this.writeQueued();
    });
  }

  /** Writes the queued edits, as many as have arrived at each write. Never rejects. */
  private async writeQueued(): Promise<void> {
    try {
      while (this.edits.length > 0) await this.writeBatch(this.edits.splice(0));
    } finally {
      // In the same turn as the last look at the queue: an edit queued after it starts a writer of its own.
      this.writing = null;
    }
  }

  /** One write of the file under its lock, with every edit of the batch that applies; each caller hears how its edit went. */
  private async writeBatch(batch: readonly QueuedEdit[]): Promise<void> {
    let waiting = batch;
    try {
      // The stack and CLI commands (each its own process) change the file: one at a time.
      const release = await this.lock(TIMERS_FILE, true);
      try {
        let timers = await this.read();
        const applied: QueuedEdit[] = [];
        for (const queued of batch) {
          try {
            timers = queued.edit(timers);
            applied.push(queued);
          } catch (error) {
            queued.reject(error);
          }
        }
        waiting = applied;
        if (applied.length > 0) await this.write(timers);
      } finally {
        await release();
      }
      for (const queued of waiting) queued.resolve();
    } catch (error) {
      for (const queued of waiting) queued.reject(error);
    }
  }

  /** A lock on `name` in the data directory, across processes; `timer.busy` when not waiting and held. */
  private async lock(name: string, wait: boolean): Promise<() => Promise<void>> {
    await mkdir(this.dataDirectory, { recursive: true });
    try {
      return await lockfile.lock(join(this.dataDirectory, name), {
        realpath: false,
        stale: LOCK_STALE_MS,
        retries: wait ? { retries: 200, minTimeout: 10, maxTimeout: 100 } : 0,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED')
        throw new AtendeError('timer.busy', `${name} in ${this.dataDirectory} is held by another process`, {
          cause: error,
        });
      throw error;
    }
  }

  private async read(): Promise<ScheduledTimer[]> {
    let file: FileHandle;
    try {
      file = await open(join(this.dataDirectory, TIMERS_FILE), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      // Every write is a new file renamed into place: another inode, time or size says someone wrote since.
      const stamp = stampOf(await file.stat());
      if (this.known?.stamp === stamp) return [...this.known.timers];
      const text = await file.readFile('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      const parsed = TimersFileSchema.safeParse(json);
      if (!parsed.success)
        throw new AtendeError('timer.fileInvalid', `${TIMERS_FILE} in ${this.dataDirectory} is not a timers file`, {
          details: { issues: parsed.error.issues.map((issue) => issue.message) },
        });
      this.known = { stamp, timers: parsed.data.timers };
      return [...parsed.data.timers];
    } finally {
      await file.close();
    }
  }

  private async write(timers: ScheduledTimer[]): Promise<void> {
    await mkdir(this.dataDirectory, { recursive: true });
    const path = join(this.dataDirectory, TIMERS_FILE);
    const sorted = byTime(timers);
    this.known = null;
    await writeFile(`${path}.tmp`, JSON.stringify({ timers: sorted }, null, 1), 'utf8');
    await rename(`${path}.tmp`, path);
    // Under the file's lock: no other process can have replaced it since the rename.
    this.known = { stamp: stampOf(await stat(path)), timers: sorted };
  }
}

const stampOf = (stats: Stats): string => `${stats.ino}:${stats.size}:${stats.mtimeMs}`;

const byTime = (timers: readonly ScheduledTimer[]): ScheduledTimer[] =>
  [...timers].sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
