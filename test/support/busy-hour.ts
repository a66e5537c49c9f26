import type { IngestResult } from '../../lib/application/ingest-email.ts';
import type { TicketStore } from '../../lib/application/ports/ticket-store.ts';
import { isAtendeError } from '../../lib/domain/atende-error.ts';
import type { GeneratedHour, GeneratedMail, GeneratedThread, ReceivedAcknowledgement } from './generated-mail.ts';
import { MINUTE } from './policy-fixtures.ts';

/** Mail started at one instant, as two Lambdas invoked together would take it. */
export type Together = readonly GeneratedMail[];

/**
 * How long a failed delivery waits before it comes again: Lambda retries an asynchronous
 * invocation a minute or more later; this is past the receipt's two-minute lease.
 */
export const RETRY_DELAY_MS = 3 * MINUTE;

export interface DeliveryOptions {
  /** How many deliveries run at once (Lambda's concurrency). */
  readonly concurrency: number;
  /** One delivery of one mail: one Lambda invocation. */
  readonly deliver: (mail: GeneratedMail) => Promise<IngestResult>;
  /** The clock the deliveries are decided by: retries and late mail move it on. */
  readonly clock: { advance(milliseconds: number): void };
  /**
   * A mail still failing after this many deliveries (of all its copies) is given up, as Lambda
   * would send it to its dead-letter queue.
   */
  readonly maxAttempts: number;
  /**
   * How the mail due now is handed over, e.g. as three copies of each, some at the same instant,
   * at random places in the queue (`place`); each mail as it comes when absent.
   */
  readonly redeliver?: (due: Together) => readonly { readonly together: Together; readonly place: number | null }[];
}

export interface DeliveryReport {
  /** Each mail delivered at least once, in the order its first delivery succeeded. */
  readonly delivered: GeneratedMail[];
  readonly deliveries: number;
  /** Deliveries that threw (and were delivered again), by error code or name. */
  readonly failures: Readonly<Record<string, number>>;
  /** Retry rounds after the first. */
  readonly retryRounds: number;
  /** Mail that still failed after maxAttempts deliveries, with the last error. */
  readonly gaveUp: readonly { readonly key: string; readonly error: string }[];
  /** Planned follow-ups never written: their thread's acknowledgement was refused for good, so nobody received it. */
  readonly unwritten: number;
}

/**
 * Delivers a generated hour the way SES and Lambda would: each thread's opening mails together,
 * the strays on their own, `concurrency` at a time; the answers to an acknowledgement as soon
 * as it is out (a customer cannot answer earlier); mail delayed on its way once the rest is in,
 * `hour.lateBy` later. A delivery that throws comes again in the next round, RETRY_DELAY_MS
 * later, until it succeeds or `maxAttempts` is reached.
 */
export async function deliverHour(
  hour: GeneratedHour,
  store: TicketStore,
  options: DeliveryOptions,
): Promise<DeliveryReport> {
  const threadOf = new Map(
    hour.threads.flatMap((thread) => [...thread.opening, ...thread.late].map((mail) => [mail.key, thread] as const)),
  );
  const openingLeft = new Map(
    hour.threads.map((thread) => [thread.id, new Set([...thread.opening, ...thread.late].map((mail) => mail.key))]),
  );
  let unwritten = 0;
  const followUps = async (thread: GeneratedThread): Promise<Together[]> => {
    const acknowledgement = await acknowledgementOf(store, thread);
    if (acknowledgement === null) {
      unwritten += thread.followUps.length;
      return [];
    }
    return thread.followUps.map((planned) => [hour.followUp(thread, planned, acknowledgement)]);
  };
  const deliveries = new Deliveries(options, async (mail) => {
    const thread = threadOf.get(mail.key);
    const left = thread === undefined ? undefined : openingLeft.get(thread.id);
    if (thread === undefined || left === undefined || !left.delete(mail.key) || left.size > 0) return [];
    return followUps(thread);
  });

  await deliveries.run(
    [
      ...hour.threads.map((thread) => ({ order: keyOrder(thread.opening[0]!.key), together: thread.opening })),
      ...hour.strays.map((mail) => ({ order: keyOrder(mail.key), together: [mail] })),
    ]
      .sort((a, b) => a.order - b.order)
      .map((unit) => unit.together),
  );
  const late = hour.threads.flatMap((thread) => (thread.late.length > 0 ? [thread.late] : []));
  if (late.length > 0) {
    options.clock.advance(hour.lateBy);
    await deliveries.run(late);
  }
  return { ...deliveries.report(), unwritten };
}

/** Delivers these mails again, in this order (every event once more, as a redelivering SES would). */
export async function deliverAgain(mails: readonly GeneratedMail[], options: DeliveryOptions): Promise<DeliveryReport> {
  const deliveries = new Deliveries(options, async () => []);
  await deliveries.run(mails.map((mail) => [mail]));
  return { ...deliveries.report(), unwritten: 0 };
}

/** The acknowledgement the thread's ticket recorded as sent, as its recipient received it; null if none went out. */
async function acknowledgementOf(store: TicketStore, thread: GeneratedThread): Promise<ReceivedAcknowledgement | null> {
  const ticketNumber = await store.ticketForMessageIds(thread.opening.map((mail) => mail.messageId));
  if (ticketNumber === null) return null;
  const sent = (await store.listMessages(ticketNumber)).find(
    (message) => message.purpose === 'acknowledgement' && message.delivery?.status === 'sent',
  );
  if (sent?.messageId == null) return null;
  return { ticketNumber, messageId: sent.messageId, subject: sent.subject, to: sent.to[0]! };
}

/** Deliveries of one run: each batch is delivered in rounds until every mail of it went through or was given up. */
class Deliveries {
  private readonly delivered: GeneratedMail[] = [];
  private readonly succeeded = new Set<string>();
  private readonly attempts = new Map<string, number>();
  private readonly failures: Record<string, number> = {};
  private readonly lastError = new Map<string, string>();
  private readonly gaveUp = new Set<GeneratedMail>();
  private deliveries = 0;
  private retryRounds = 0;
  private readonly queue: Together[] = [];
  private retry: GeneratedMail[] = [];

  constructor(
    private readonly options: DeliveryOptions,
    private readonly afterFirstSuccess: (mail: GeneratedMail) => Promise<Together[]>,
  ) {}

  async run(units: readonly Together[]): Promise<void> {
    this.enqueue(units);
    for (;;) {
      await this.drain();
      const again = this.retry.filter((mail) => this.attemptsOf(mail) < this.options.maxAttempts);
      for (const mail of this.retry)
        if (!this.succeeded.has(mail.key) && this.attemptsOf(mail) >= this.options.maxAttempts) this.gaveUp.add(mail);
      this.retry = [];
      if (again.length === 0) return;
      this.retryRounds += 1;
      this.options.clock.advance(RETRY_DELAY_MS);
      // Retries come one by one, as Lambda retries each failed invocation on its own.
      this.queue.push(...again.map((mail) => [mail]));
    }
  }

  report(): Omit<DeliveryReport, 'unwritten'> {
    return {
      delivered: this.delivered,
      deliveries: this.deliveries,
      failures: this.failures,
      retryRounds: this.retryRounds,
      gaveUp: [...this.gaveUp].map((mail) => ({ key: mail.key, error: this.lastError.get(mail.key) ?? '' })),
    };
  }

  private attemptsOf(mail: GeneratedMail): number {
    return this.attempts.get(mail.key) ?? 0;
  }

  private enqueue(units: readonly Together[]): void {
    for (const unit of units) {
      for (const { together, place } of this.options.redeliver?.(unit) ?? [{ together: unit, place: null }]) {
        if (place === null) this.queue.push(together);
        else this.queue.splice(Math.floor(place * (this.queue.length + 1)), 0, together);
      }
    }
  }

  /** Delivers one unit, its mails at the same instant; returns what their first success made due. */
  private async attempt(together: Together): Promise<Together[]> {
    const due: Together[] = [];
    const outcomes = await Promise.allSettled(
      together.map((mail) => {
        this.deliveries += 1;
        this.attempts.set(mail.key, this.attemptsOf(mail) + 1);
        return this.options.deliver(mail);
      }),
    );
    for (const [index, outcome] of outcomes.entries()) {
      const mail = together[index]!;
      if (outcome.status === 'rejected') {
        const name = errorName(outcome.reason);
        this.failures[name] = (this.failures[name] ?? 0) + 1;
        this.lastError.set(mail.key, `${name}: ${outcome.reason instanceof Error ? outcome.reason.message : ''}`);
        // Every failed delivery comes again, also a copy of an event another copy completed (it is then a duplicate).
        this.retry.push(mail);
        continue;
      }
      if (this.succeeded.has(mail.key)) continue;
      this.succeeded.add(mail.key);
      this.delivered.push(mail);
      due.push(...(await this.afterFirstSuccess(mail)));
    }
    return due;
  }

  /** Runs the queue, `concurrency` units at a time, until it is empty and nothing runs; what comes due joins it. */
  private drain(): Promise<void> {
    return new Promise((resolve, reject) => {
      let running = 0;
      const launch = () => {
        while (running < this.options.concurrency && this.queue.length > 0) {
          const together = this.queue.shift()!;
          running += 1;
          this.attempt(together).then((due) => {
            running -= 1;
            this.enqueue(due);
            launch();
          }, reject);
        }
        if (running === 0 && this.queue.length === 0) resolve();
      };
      launch();
    });
  }
}

const keyOrder = (key: string): number => Number(key.slice(key.lastIndexOf('-') + 1));

const errorName = (error: unknown): string =>
  isAtendeError(error) ? error.code : error instanceof Error ? error.name : typeof error;
