/**
 * The floor under the ingest benchmark: what the parts ingest cannot avoid cost on this
 * machine, each alone. Parsing, one two-item TransactWriteItems on DynamoDB Local, one
 * SendRawEmail to the SES emulator, as operations per second.
 */

import { performance } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { composeMime } from '../lib/adapters/mail/mime-composer.ts';
import { sendRawEmailInput } from '../lib/adapters/mail/ses-mailer.ts';
import type { OutgoingMail } from '../lib/application/ports/mailer.ts';
import { parseInboundMail } from '../lib/domain/mail/parse-inbound-mail.ts';

export interface Rate {
  readonly operations: number;
  readonly concurrency: number;
  readonly perSecond: number;
}

/** Runs `count` tasks with `concurrency` workers pulling from one shared counter; returns the rate. */
export async function pooled(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<Rate> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < count; index = next++) await task(index);
    }),
  );
  return { operations: count, concurrency, perSecond: count / ((performance.now() - started) / 1000) };
}

/** parseInboundMail over the given messages, one after another (it is CPU work; concurrency would not help one thread). */
export async function parseFloor(raws: readonly Buffer[]): Promise<Rate> {
  // One pass to warm the JIT, one measured.
  for (const raw of raws.slice(0, 200)) await parseInboundMail(raw);
  return pooled(raws.length, 1, (index) => parseInboundMail(raws[index]!));
}

/** A string of about `bytes` characters, so the items weigh what a ticket and a message do. */
const filler = (bytes: number): string =>
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(Math.ceil(bytes / 57)).slice(0, bytes);

/**
 * One TransactWriteItems of two conditional Puts (a ticket-sized item and a message-sized one,
 * like createTicket's core), `count` times with `concurrency` clients at once.
 */
export async function transactionFloor(
  client: DynamoDBClient,
  tableName: string,
  options: { count: number; concurrency: number },
): Promise<Rate> {
  const documents = DynamoDBDocumentClient.from(client);
  const ticketText = filler(1_500);
  const messageText = filler(1_200);
  const write = (index: number) =>
    documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { pk: `FLOOR#${index}`, sk: 'TICKET', entity: 'floor-ticket', subject: ticketText, version: 1 },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { pk: `FLOOR#${index}`, sk: 'M#1', entity: 'floor-message', text: messageText },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  await pooled(100, options.concurrency, (index) => write(options.count + index));
  return pooled(options.count, options.concurrency, write);
}

/**
 * One strongly consistent GetItem of a ticket-sized item written by transactionFloor: not part
 * of the floor's model (which prices every request as a transaction), shown to tell how much
 * cheaper the reads ingest makes are.
 */
export async function readFloor(
  client: DynamoDBClient,
  tableName: string,
  options: { count: number; concurrency: number },
): Promise<Rate> {
  const documents = DynamoDBDocumentClient.from(client);
  const read = (index: number) =>
    documents.send(
      new GetCommand({ TableName: tableName, Key: { pk: `FLOOR#${index}`, sk: 'TICKET' }, ConsistentRead: true }),
    );
  await pooled(100, options.concurrency, read);
  return pooled(options.count, options.concurrency, read);
}

/** One raw SES v2 SendEmail of `sample` (an acknowledgement from the run, composed once) to the emulator, `count` times. */
export async function sendFloor(
  endpoint: string,
  sample: OutgoingMail,
  options: { count: number; concurrency: number },
): Promise<Rate> {
  const client = new SESv2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const input = sendRawEmailInput(
      sample,
      await composeMime(sample, { messageId: '<floor@example.com>', date: new Date(0) }),
    );
    await pooled(100, options.concurrency, () => client.send(new SendEmailCommand(input)));
    return await pooled(options.count, options.concurrency, () => client.send(new SendEmailCommand(input)));
  } finally {
    client.destroy();
  }
}
