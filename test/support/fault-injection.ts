import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  InternalServerException,
  ThrottlingException as SchedulerThrottlingException,
} from '@aws-sdk/client-scheduler';
import { seededRandom, weighted } from '../../bench/ingest-mail-generator.ts';
import type { RecordingMailer } from '../../lib/adapters/memory/recording-mailer.ts';
import type { AttachedFile, Mailer, OutgoingMail, SentMail } from '../../lib/application/ports/mailer.ts';
import type { ScheduledTimer, TimerScheduler } from '../../lib/application/ports/timer-scheduler.ts';
import { AtendeError } from '../../lib/domain/atende-error.ts';
import { ATENDE_TICKET_HEADER } from '../../lib/domain/mail/mail-classification.ts';

/**
 * Faults for the reliability suite, drawn from a seeded generator: DynamoDB calls that fail
 * (throttled, a 5xx, a timeout; before the call reached the table, or after it, when the write
 * happened and only the answer is lost, or while it is still on its way and lands later) and SES sends that fail (for a while, or for good; or
 * after SES took the mail, the answer lost).
 *
 * Each delivery attempt of an event draws from a generator of its own, seeded with the run's seed,
 * the event's key and the attempt's number, so a failure can be replayed with the seed even though
 * 32 deliveries interleave differently from run to run.
 */

export type StoreFault =
  | 'throttled-provisioned'
  | 'throttled'
  | 'throttled-transaction'
  | 'server-error'
  | 'timeout'
  | 'server-error-after-write'
  | 'timeout-after-write'
  | 'timeout-in-flight';

export type MailFault = 'throttled' | 'connection-reset' | 'answer-lost' | 'rejected' | 'sending-paused';

/** EventBridge Scheduler failing a call: throttled, a 5xx, or a timeout (before the call, or after it took effect). */
export type SchedulerFault = 'throttled' | 'server-error' | 'timeout' | 'timeout-after-call';

const STORE_FAULTS: readonly [StoreFault, number][] = [
  ['throttled-provisioned', 0.2],
  ['throttled', 0.1],
  ['throttled-transaction', 0.1],
  ['server-error', 0.15],
  ['timeout', 0.15],
  ['server-error-after-write', 0.1],
  ['timeout-after-write', 0.1],
  ['timeout-in-flight', 0.1],
];
const SCHEDULER_FAULTS: readonly [SchedulerFault, number][] = [
  ['throttled', 0.4],
  ['server-error', 0.3],
  ['timeout', 0.15],
  ['timeout-after-call', 0.15],
];
const MAIL_FAULTS: readonly [MailFault, number][] = [
  ['throttled', 0.3],
  ['connection-reset', 0.15],
  ['answer-lost', 0.2],
  ['rejected', 0.25],
  ['sending-paused', 0.1],
];

/** A mail SES refused for good: it must be recorded on its ticket as not delivered. */
export interface RefusedMail {
  readonly ticketNumber: number | null;
  readonly to: string;
  readonly subject: string;
  readonly code: string;
}

export interface FaultRates {
  /** Share of DynamoDB calls that fail. */
  readonly store: number;
  /** Share of SES sends that fail. */
  readonly mail: number;
  /** Share of Scheduler calls that fail (failSchedulerCalls). */
  readonly scheduler?: number;
}

export interface FaultKinds {
  /** The mail faults to draw from, with their shares (all of them unless given). */
  readonly mail?: readonly [MailFault, number][];
}

export class FaultInjection {
  readonly injected: {
    store: Partial<Record<StoreFault, number>>;
    mail: Partial<Record<MailFault, number>>;
    scheduler: Partial<Record<SchedulerFault, number>>;
  } = { store: {}, mail: {}, scheduler: {} };
  /** Message-IDs of mail SES took whose answer was lost: the retry sends it again (the documented window). */
  readonly answerLost = new Set<string>();
  readonly refused: RefusedMail[] = [];
  private readonly attempt = new AsyncLocalStorage<() => number>();

  constructor(
    readonly seed: number,
    private readonly rates: FaultRates,
    private readonly kinds: FaultKinds = {},
  ) {}

  /** Runs one delivery attempt with its own faults; calls outside any attempt (the suite reading the store) never fail. */
  during<T>(eventKey: string, attempt: number, work: () => Promise<T>): Promise<T> {
    return this.attempt.run(seededRandom(hash(`${this.seed} ${eventKey} ${attempt}`)), work);
  }

  /**
   * Makes a share of this client's calls fail. The middleware sits at the initialize step, above
   * the SDK's retry middleware (finalizeRequest): an injected fault is never retried by the SDK
   * and reaches the store and the kernel, as one the SDK's own retries did not cure would. A fault
   * "after the write" lets the call reach DynamoDB Local, then throws instead of answering; one
   * "in flight" throws at once and lets the call land whenever it lands.
   */
  failStoreCalls(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const fault = this.draw(this.rates.store, STORE_FAULTS);
        if (fault === null) return next(args);
        this.count('store', fault);
        const transaction = context.commandName === 'TransactWriteItemsCommand';
        if (fault === 'server-error-after-write' || fault === 'timeout-after-write') {
          await next(args);
          throw fault === 'timeout-after-write' ? timeout() : serverError();
        }
        if (fault === 'timeout-in-flight') {
          // The client gives up while the request is still on its way: it lands later, or not at all.
          next(args).catch(() => {});
          await new Promise((resolve) => setImmediate(resolve));
          throw timeout();
        }
        if (fault === 'throttled-transaction' && transaction) {
          const items = (args.input as { TransactItems?: unknown[] }).TransactItems ?? [];
          throw new TransactionCanceledException({
            message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ThrottlingError]',
            $metadata: { httpStatusCode: 400 },
            CancellationReasons: items.map((_, index) =>
              index === 0
                ? { Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity' }
                : { Code: 'None' },
            ),
          });
        }
        if (fault === 'server-error') throw serverError();
        if (fault === 'timeout') throw timeout();
        if (fault === 'throttled')
          throw new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} });
        throw new ProvisionedThroughputExceededException({
          message: 'The level of configured provisioned throughput for the table was exceeded',
          $metadata: { httpStatusCode: 400 },
        });
      },
      { step: 'initialize', name: 'atendeFaultInjection', priority: 'high' },
    );
  }

  /** The mailer, failing a share of its sends as SES and the network would. */
  failSends(recording: RecordingMailer): Mailer {
    return {
      send: async (mail: OutgoingMail, files?: readonly AttachedFile[]): Promise<SentMail> => {
        const fault = this.draw(this.rates.mail, this.kinds.mail ?? MAIL_FAULTS);
        if (fault === null) return recording.send(mail, files);
        this.count('mail', fault);
        switch (fault) {
          case 'throttled':
            throw new AtendeError(
              'mail.throttled',
              'SES refused the mail: Throttling: Maximum sending rate exceeded.',
              {
                details: { sesError: 'Throttling', retryable: true },
              },
            );
          case 'connection-reset':
            throw Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });
          case 'answer-lost': {
            const { messageId } = await recording.send(mail, files);
            this.answerLost.add(messageId);
            throw timeout();
          }
          case 'rejected':
          case 'sending-paused': {
            const code = fault === 'rejected' ? 'mail.rejected' : 'mail.sendingPaused';
            const ticket = mail.headers?.[ATENDE_TICKET_HEADER];
            this.refused.push({
              ticketNumber: ticket === undefined ? null : Number(ticket),
              to: mail.to[0]!.address,
              subject: mail.subject,
              code,
            });
            throw new AtendeError(
              code,
              `SES refused the mail: ${fault === 'rejected' ? 'MessageRejected: Address blacklisted.' : 'AccountSendingPausedException'}`,
              {
                details: { retryable: false },
              },
            );
          }
        }
      },
    };
  }

  /**
   * The scheduler, failing a share of its calls as EventBridge Scheduler would: throttled, an
   * InternalServerException, or a timeout before the call left or after it took effect.
   */
  failSchedulerCalls(timers: TimerScheduler): TimerScheduler {
    const call =
      <A>(work: (argument: A) => Promise<void>) =>
      async (argument: A): Promise<void> => {
        const fault = this.draw(this.rates.scheduler ?? 0, SCHEDULER_FAULTS);
        if (fault === null) return work(argument);
        this.count('scheduler', fault);
        if (fault === 'timeout-after-call') {
          await work(argument);
          throw timeout();
        }
        if (fault === 'timeout') throw timeout();
        if (fault === 'server-error')
          throw new InternalServerException({
            Message: 'Unexpected error',
            message: 'Unexpected error',
            $metadata: { httpStatusCode: 500 },
          });
        throw new SchedulerThrottlingException({
          Message: 'Rate exceeded',
          message: 'Rate exceeded',
          $metadata: { httpStatusCode: 400 },
        });
      };
    return {
      put: call((timer: ScheduledTimer) => timers.put(timer)),
      move: call((timer: ScheduledTimer) => timers.move(timer)),
      remove: call((name: string) => timers.remove(name)),
    };
  }

  private draw<T>(rate: number, kinds: readonly [T, number][]): T | null {
    const random = this.attempt.getStore();
    if (random === undefined || random() >= rate) return null;
    return weighted(random, kinds);
  }

  private count(part: 'store' | 'mail' | 'scheduler', fault: string): void {
    const counts = this.injected[part] as Record<string, number>;
    counts[fault] = (counts[fault] ?? 0) + 1;
  }
}

const serverError = () =>
  new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } });

/** As the SDK's HTTP handler reports a request that got no answer in time. */
const timeout = () =>
  Object.assign(new Error('Connection timed out after 2000 ms'), { name: 'TimeoutError', code: 'ETIMEDOUT' });

/** FNV-1a: a 32-bit seed from a string. */
const hash = (text: string): number => {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
};
