import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Mailer, OutgoingMail, SentMail } from '../lib/application/ports/mailer.ts';

/** What one ingested message cost: requests by command, their time, the mail it sent and its time. */
export class MessageCost {
  readonly requests = new Map<string, number>();
  requestMs = 0;
  sends = 0;
  sendMs = 0;

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

  /** Counts and times every command `client` sends while a message is being measured. */
  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const cost = this.current.getStore();
        if (cost === undefined) return next(args);
        const name = context.commandName ?? 'unknown';
        cost.requests.set(name, (cost.requests.get(name) ?? 0) + 1);
        const started = performance.now();
        try {
          return await next(args);
        } finally {
          cost.requestMs += performance.now() - started;
        }
      },
      { step: 'initialize', name: 'benchIngestMeter' },
    );
  }

  /** Wraps a mailer so its sends are counted and timed, and every sent mail is shown to `onSent`. */
  wrapMailer(mailer: Mailer, onSent: (mail: OutgoingMail, sent: SentMail) => void): Mailer {
    return {
      send: async (mail) => {
        const cost = this.current.getStore();
        const started = performance.now();
        const sent = await mailer.send(mail);
        if (cost !== undefined) {
          cost.sends += 1;
          cost.sendMs += performance.now() - started;
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
