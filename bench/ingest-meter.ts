import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { AttributeValue, DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { AttachmentStore } from '../lib/application/ports/attachment-store.ts';
import type { Mailer, OutgoingMail, SentMail } from '../lib/application/ports/mailer.ts';
import type { RawMailStore } from '../lib/application/ports/raw-mail-store.ts';
import type { TimerScheduler } from '../lib/application/ports/timer-scheduler.ts';
import { itemSize, writeUnits } from './dynamodb-item-size.ts';

/** What one ingested message cost: requests by command, their time, the mail it sent and its time, object and scheduler calls. */
export class MessageCost {
  readonly requests = new Map<string, number>();
  requestMs = 0;
  sends = 0;
  sendMs = 0;
  attachmentBytesSent = 0;
  /** Capacity units DynamoDB reported (only when the meter asks for them: `attach(client, { capacity: true })`). */
  readCapacityUnits = 0;
  writeCapacityUnits = 0;
  /** The same units by command (`TransactWriteItemsCommand` → units). */
  readonly capacityByCommand = new Map<string, number>();
  /**
   * Write units counted from the request's own items by DynamoDB's size rules (dynamodb-item-size.ts):
   * exact for a put; for an update only its key and values (the stored item may be larger).
   */
  sizedWriteUnits = 0;
  /** Requests that came back without a capacity figure although it was asked for. */
  unreportedCapacity = 0;
  /** Raw mail and attachment reads and writes: S3 GET and PUT requests on AWS. */
  objectReads = 0;
  objectWrites = 0;
  objectBytesWritten = 0;
  /** Scheduler calls by kind: CreateSchedule (put), UpdateSchedule (move), DeleteSchedule (remove) on AWS. */
  readonly timerCalls = { put: 0, move: 0, remove: 0 };

  get requestCount(): number {
    let total = 0;
    for (const count of this.requests.values()) total += count;
    return total;
  }
}

/**
 * Attributes DynamoDB requests and sends to the message being ingested, at any concurrency:
 * each ingestEmail runs inside `measure`, and the async context carries its MessageCost into
 * the SDK middleware and the mailer wrapper. Same observe-only middleware as
 * test/support/command-recorder.ts, plus the time each request took.
 */
export class IngestMeter {
  private readonly current = new AsyncLocalStorage<MessageCost>();

  /**
   * Counts and times every command `client` sends while a message is being measured. With
   * `capacity`, each request also asks for ReturnConsumedCapacity=TOTAL and the units that come
   * back are added up (the only change to the requests; off for the throughput bench).
   */
  attach(client: DynamoDBClient, options: { capacity?: boolean } = {}): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const cost = this.current.getStore();
        if (cost === undefined) return next(args);
        const name = context.commandName ?? 'unknown';
        cost.requests.set(name, (cost.requests.get(name) ?? 0) + 1);
        const started = performance.now();
        try {
          if (!options.capacity) return await next(args);
          const input = { ...(args.input as Record<string, unknown>), ReturnConsumedCapacity: 'TOTAL' };
          const result = await next({ ...args, input });
          addCapacity(cost, name, (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
          return result;
        } finally {
          cost.requestMs += performance.now() - started;
        }
      },
      { step: 'initialize', name: 'benchIngestMeter' },
    );
    if (!options.capacity) return;
    // After serialization the input is in DynamoDB's own shape (the document client marshals just before it).
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const cost = this.current.getStore();
        if (cost !== undefined)
          cost.sizedWriteUnits += sizedWriteUnits(context.commandName ?? '', args.input as WriteInput);
        return next(args);
      },
      { step: 'build', name: 'benchIngestItemSizes' },
    );
  }

  /** Wraps a raw mail store so its reads and writes are counted. */
  wrapRawMail(store: RawMailStore): RawMailStore {
    return {
      get: (key, options) => {
        this.count((cost) => cost.objectReads++);
        return store.get(key, options);
      },
      put: (key, raw) => {
        this.count((cost) => {
          cost.objectWrites++;
          cost.objectBytesWritten += raw.byteLength;
        });
        return store.put(key, raw);
      },
    };
  }

  /** Wraps an attachment store so its reads and writes are counted. */
  wrapAttachments(store: AttachmentStore): AttachmentStore {
    return {
      get: (key) => {
        this.count((cost) => cost.objectReads++);
        return store.get(key);
      },
      put: (key, file) => {
        this.count((cost) => {
          cost.objectWrites++;
          cost.objectBytesWritten += file.content.byteLength;
        });
        return store.put(key, file);
      },
    };
  }

  /** Wraps timers so each scheduler call is counted by kind. */
  wrapTimers(timers: TimerScheduler): TimerScheduler {
    return {
      put: (timer) => {
        this.count((cost) => cost.timerCalls.put++);
        return timers.put(timer);
      },
      move: (timer) => {
        this.count((cost) => cost.timerCalls.move++);
        return timers.move(timer);
      },
      remove: (name) => {
        this.count((cost) => cost.timerCalls.remove++);
        return timers.remove(name);
      },
    };
  }

  private count(add: (cost: MessageCost) => void): void {
    const cost = this.current.getStore();
    if (cost !== undefined) add(cost);
  }

  /**
   * Wraps a mailer so its sends (and the attachment bytes they carry) are counted and timed, and
   * every sent mail is shown to `onSent`. The files go through: the agents' notice carries them.
   */
  wrapMailer(mailer: Mailer, onSent: (mail: OutgoingMail, sent: SentMail) => void): Mailer {
    return {
      send: async (mail, files) => {
        const cost = this.current.getStore();
        const started = performance.now();
        const sent = await mailer.send(mail, files);
        if (cost !== undefined) {
          cost.sends += 1;
          cost.sendMs += performance.now() - started;
          for (const file of files ?? []) cost.attachmentBytesSent += file.content.byteLength;
        }
        onSent(mail, sent);
        return sent;
      },
    };
  }

  /** Runs `work` as one message: what it costs is collected in the returned MessageCost. */
  async measure<T>(work: () => Promise<T>): Promise<{ value: T; cost: MessageCost; ms: number }> {
    const cost = new MessageCost();
    const started = performance.now();
    const value = await this.current.run(cost, work);
    return { value, cost, ms: performance.now() - started };
  }
}

/** Commands whose units are read units; every other command the store sends writes. */
const READS = new Set([
  'GetItemCommand',
  'BatchGetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'TransactGetItemsCommand',
]);

/**
 * Adds what one response reported. DynamoDB Local bills as AWS does: items by size (a 3 KB put
 * is 3 units, an update of a 9 KB item 9), transactions double (a 3 KB put in a transaction is
 * 6). It reports 0 for a Query that finds nothing, where AWS bills at least one unit per
 * request (the store's reads are all strongly consistent): hence the floor of one.
 */
function addCapacity(cost: MessageCost, command: string, consumed: unknown): void {
  const entries = (Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]) as {
    CapacityUnits?: number;
  }[];
  if (entries.length === 0) {
    cost.unreportedCapacity++;
    return;
  }
  const reported = entries.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
  const units = Math.max(1, reported);
  cost.capacityByCommand.set(command, (cost.capacityByCommand.get(command) ?? 0) + units);
  if (READS.has(command)) cost.readCapacityUnits += units;
  else cost.writeCapacityUnits += units;
}

type Item = Record<string, AttributeValue>;
interface WriteInput {
  readonly Item?: Item;
  readonly Key?: Item;
  readonly ExpressionAttributeValues?: Item;
  readonly TransactItems?: readonly TransactWriteItem[];
}

/** The write units a write request's own items come to; 0 for a read. */
function sizedWriteUnits(command: string, input: WriteInput): number {
  const updated = (update: { Key?: Item; ExpressionAttributeValues?: Item }) =>
    itemSize(update.Key ?? {}) + itemSize(update.ExpressionAttributeValues ?? {});
  switch (command) {
    case 'PutItemCommand':
      return writeUnits(itemSize(input.Item ?? {}), false);
    case 'UpdateItemCommand':
      return writeUnits(updated(input), false);
    case 'DeleteItemCommand':
      return writeUnits(itemSize(input.Key ?? {}), false);
    case 'TransactWriteItemsCommand':
      return (input.TransactItems ?? []).reduce((sum, action) => {
        if (action.Put) return sum + writeUnits(itemSize(action.Put.Item ?? {}), true);
        if (action.Update) return sum + writeUnits(updated(action.Update), true);
        const key = action.Delete?.Key ?? action.ConditionCheck?.Key ?? {};
        return sum + writeUnits(itemSize(key), true);
      }, 0);
    default:
      return 0;
  }
}
