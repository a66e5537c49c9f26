import type { IngestResult } from '../../lib/application/ingest-email.ts';
import type { TicketStore } from '../../lib/application/ports/ticket-store.ts';
import { isAtendeError } from '../../lib/domain/atende-error.ts';
import type { GeneratedHour, GeneratedMail, GeneratedThread, ReceivedAcknowledgement } from './generated-mail.ts';

/** Mail started at one instant, as two Lambdas invoked together would take it. */
export type Together = readonly GeneratedMail[];

export interface DeliveryOptions {
  /** How many deliveries run at once (Lambda's concurrency). */
  readonly concurrency: number;
  /** One delivery of one mail: one Lambda invocation. */
  readonly deliver: (mail: GeneratedMail) => Promise<IngestResult>;
  /** What a failed delivery waits before it is delivered again: Lambda's retry delay (move the clock past the receipt's lease). */
  readonly beforeRetry: () => void;
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
 * as it is out (a customer cannot answer earlier). A delivery that throws is delivered again in
 * the next round, after `beforeRetry`, until it succeeds or `maxAttempts` is reached.
 */
export async function deliverHour(
  hour: GeneratedHour,
  store: TicketStore,
  options: DeliveryOptions,
): Promise<DeliveryReport> {
  const due: Together[] = [
    ...hour.threads.map((thread) => ({ order: keyOrder(thread.opening[0]!.key), together: thread.opening })),
    ...hour.strays.map((mail) => ({ order: keyOrder(mail.key), together: [mail] })),
  ]
    .sort((a, b) => a.order - b.order)
    .map((unit) => unit.together);
  const threadOf = new Map(hour.threads.flatMap((thread) => thread.opening.map((mail) => [mail.key, thread] as const)));
  const openingLeft = new Map(
    hour.threads.map((thread) => [thread.id, new Set(thread.opening.map((mail) => mail.key))]),
  );
  let unwritten = 0;

  const followUps = async (thread: GeneratedThread): Promise<Together[]> => {
    const acknowledgement = await acknowledgementOf(store, thread.opening[0]!);
    if (acknowledgement === null) {
      unwritten += thread.followUps.length;
      return [];
    }
    return thread.followUps.map((planned) => [hour.followUp(thread, planned, acknowledgement)]);
  };
  return deliverAll(due, options, async (mail) => {
    const thread = threadOf.get(mail.key);
    const left = thread === undefined ? undefined : openingLeft.get(thread.id);
    if (thread === undefined || left === undefined || !left.delete(mail.key) || left.size > 0) return [];
    return followUps(thread);
  }).then((report) => ({ ...report, unwritten }));
}

/** Delivers these mails again, in this order (every event once more, as a redelivering SES would). */
export const deliverAgain = (mails: readonly GeneratedMail[], options: DeliveryOptions): Promise<DeliveryReport> =>
  deliverAll(
    mails.map((mail) => [mail]),
    options,
    async () => [],
  ).then((report) => ({ ...report, unwritten: 0 }));

/** The acknowledgement the first mail's ticket recorded as sent, as its recipient received it; null if none went out. */
async function acknowledgementOf(store: TicketStore, first: GeneratedMail): Promise<ReceivedAcknowledgement | null> {
  const ticketNumber = await store.ticketForMessageIds([first.messageId]);
  if (ticketNumber === null) return null;
  const sent = (await store.listMessages(ticketNumber)).find(
    (message) => message.purpose === 'acknowledgement' && message.delivery?.status === 'sent',
  );
  if (sent?.messageId == null) return null;
  return { ticketNumber, messageId: sent.messageId, subject: sent.subject, to: sent.to[0]! };
}

async function deliverAll(
  initial: readonly Together[],
  options: DeliveryOptions,
  afterFirstSuccess: (mail: GeneratedMail) => Promise<Together[]>,
): Promise<Omit<DeliveryReport, 'unwritten'>> {
  const delivered: GeneratedMail[] = [];
  const succeeded = new Set<string>();
  const attempts = new Map<string, number>();
  const failures: Record<string, number> = {};
  const lastError = new Map<string, string>();
  let deliveries = 0;
  const queue: Together[] = [];
  const enqueue = (units: readonly Together[]) => {
    for (const unit of units) {
      for (const { together, place } of options.redeliver?.(unit) ?? [{ together: unit, place: null }]) {
        if (place === null) queue.push(together);
        else queue.splice(Math.floor(place * (queue.length + 1)), 0, together);
      }
    }
  };

  let retry: GeneratedMail[] = [];
  const attempt = async (together: Together): Promise<Together[]> => {
    const due: Together[] = [];
    const outcomes = await Promise.allSettled(
      together.map((mail) => {
        deliveries += 1;
        attempts.set(mail.key, (attempts.get(mail.key) ?? 0) + 1);
        return options.deliver(mail);
      }),
    );
    for (const [index, outcome] of outcomes.entries()) {
      const mail = together[index]!;
      if (outcome.status === 'rejected') {
        const name = errorName(outcome.reason);
        failures[name] = (failures[name] ?? 0) + 1;
        lastError.set(mail.key, `${name}: ${outcome.reason instanceof Error ? outcome.reason.message : ''}`);
        // Every failed delivery comes again, also a copy of an event another copy completed (it is then a duplicate).
        retry.push(mail);
        continue;
      }
      if (succeeded.has(mail.key)) continue;
      succeeded.add(mail.key);
      delivered.push(mail);
      due.push(...(await afterFirstSuccess(mail)));
    }
    return due;
  };

  enqueue(initial);
  let retryRounds = 0;
  for (;;) {
    await drain(queue, options.concurrency, attempt, enqueue);
    const again = retry.filter((mail) => (attempts.get(mail.key) ?? 0) < options.maxAttempts);
    const gaveUp = [
      ...new Set(
        retry.filter((mail) => !succeeded.has(mail.key) && (attempts.get(mail.key) ?? 0) >= options.maxAttempts),
      ),
    ];
    retry = [];
    if (again.length === 0) {
      return {
        delivered,
        deliveries,
        failures,
        retryRounds,
        gaveUp: gaveUp.map((mail) => ({ key: mail.key, error: lastError.get(mail.key) ?? '' })),
      };
    }
    retryRounds += 1;
    options.beforeRetry();
    // Retries come one by one, as Lambda retries each failed invocation on its own.
    queue.push(...again.map((mail) => [mail]));
  }
}

/**
 * Runs `work` over the queue, `concurrency` at a time, until the queue is empty and nothing is
 * running; work may add to the queue (follow-ups) — `enqueue` hands them over as the options say.
 */
function drain(
  queue: Together[],
  concurrency: number,
  work: (together: Together) => Promise<Together[]>,
  enqueue: (units: readonly Together[]) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let running = 0;
    const launch = () => {
      while (running < concurrency && queue.length > 0) {
        const together = queue.shift()!;
        running += 1;
        work(together).then((due) => {
          running -= 1;
          enqueue(due);
          launch();
        }, reject);
      }
      if (running === 0 && queue.length === 0) resolve();
    };
    launch();
  });
}

const keyOrder = (key: string): number => Number(key.slice(key.lastIndexOf('-') + 1));

const errorName = (error: unknown): string =>
  isAtendeError(error) ? error.code : error instanceof Error ? error.name : typeof error;
