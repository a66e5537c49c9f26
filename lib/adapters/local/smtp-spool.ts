import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import type { InboundEmail, IngestResult } from '../../application/ingest-email.ts';
import type { TicketStore } from '../../application/ports/ticket-store.ts';

const ENTRY_SUFFIX = '.json';

const SpooledMailSchema = z.strictObject({
  receiptKey: z.string().min(1),
  rawKey: z.string().min(1),
  recipients: z.array(z.string()),
  envelopeSender: z.string().nullable().optional(),
  verdicts: z.record(z.string(), z.string()).optional(),
  submittedBy: z.string().nullable().optional(),
});

export interface SpooledMail {
  /** The entry's own name: two deliveries of one mail in hand at once are two entries. */
  readonly id: string;
  readonly inbound: InboundEmail;
}

/**
 * The local SMTP listener's record of the mail it has in hand: an entry for each mail from the
 * moment its raw bytes are stored until the client has its answer (250, or 451 to try again).
 * Entries left at start-up are the mail the previous run was processing when it died (kill -9, a
 * power cut): that run holds its receipts' leases no more, so the stack takes them over and
 * finishes those events before it listens again (resumeSpooledMail), and a sender's retry then
 * finds its mail done instead of waiting out a two-minute lease with 451s.
 *
 * Nothing depends on an entry for safety, only for speed: without one (an entry lost in a power
 * cut, which an fsync would have kept) the sender's retry still resumes the event once the lease
 * has run out. So entries are written without fsync, but renamed into place, so that an entry is
 * either whole or absent.
 */
export class SmtpSpool {
  constructor(private readonly directory: string) {}

  /** Records that `inbound` is being processed; returns the entry's id for `release`. */
  async hold(inbound: InboundEmail): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    const id = randomUUID();
    const temporary = join(this.directory, `.tmp-${id}`);
    await writeFile(temporary, JSON.stringify(SpooledMailSchema.parse(inbound)), 'utf8');
    await rename(temporary, join(this.directory, `${id}${ENTRY_SUFFIX}`));
    return id;
  }

  /** The mail is answered: its entry goes. */
  async release(id: string): Promise<void> {
    await rm(join(this.directory, `${id}${ENTRY_SUFFIX}`), { force: true });
  }

  /**
   * The entries left, in no particular order (each is an event of its own). A file that is not an
   * entry (a hand edit) is listed as unreadable, to be logged and removed.
   */
  async held(): Promise<{ readonly mail: SpooledMail[]; readonly unreadable: string[] }> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return { mail: [], unreadable: [] };
      throw error;
    }
    const mail: SpooledMail[] = [];
    const unreadable: string[] = [];
    for (const name of names.filter((candidate) => candidate.endsWith(ENTRY_SUFFIX))) {
      const id = name.slice(0, -ENTRY_SUFFIX.length);
      try {
        const inbound = SpooledMailSchema.parse(JSON.parse(await readFile(join(this.directory, name), 'utf8')));
        mail.push({ id, inbound });
      } catch {
        unreadable.push(id);
      }
    }
    return { mail, unreadable };
  }
}

export interface SpoolResumption {
  readonly spool: SmtpSpool;
  readonly store: Pick<TicketStore, 'releaseReceiptLease'>;
  /** The same path the listener takes. */
  readonly ingest: (inbound: InboundEmail) => Promise<IngestResult>;
  readonly log: (line: string) => void;
}

/**
 * Finishes the mail a previous run died processing (see SmtpSpool), before the listener takes
 * new mail: each event's lease is taken from the dead run, and the event is ingested again, which
 * settles only what it still owes (a mail it had sent but not recorded goes out again: the crash
 * window). A mail that fails again keeps its entry for the next start; its sender retries anyway.
 * Returns how many were finished.
 */
export async function resumeSpooledMail({ spool, store, ingest, log }: SpoolResumption): Promise<number> {
  const { mail, unreadable } = await spool.held();
  for (const id of unreadable) {
    log(`smtp: spool entry ${id} is unreadable; removed (its sender retries the mail)`);
    await spool.release(id);
  }
  let finished = 0;
  for (const { id, inbound } of mail) {
    try {
      await store.releaseReceiptLease(inbound.receiptKey);
      const result = await ingest(inbound);
      await spool.release(id);
      finished += 1;
      log(`smtp: ${inbound.receiptKey} resumed after a restart: ${JSON.stringify(result)}`);
    } catch (error) {
      log(
        `smtp: ${inbound.receiptKey} could not be resumed (its sender retries it): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return finished;
}
