import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { messageIdItem, messageItem, receiptItem, ticketItem } from '../lib/adapters/dynamodb/ticket-items.ts';
import { ticketCounterKey } from '../lib/adapters/dynamodb/ticket-table-keys.ts';
import type { InboundReceipt } from '../lib/application/ports/ticket-store.ts';
import { FIRST_TICKET_NUMBER } from '../lib/application/ports/ticket-store.ts';
import type { Ticket, TicketMessage, TicketStatus } from '../lib/domain/ticket/ticket.ts';
import { seededRandom, weighted } from './ingest-mail-generator.ts';

/**
 * Fills a ticket table with tickets of past months, fast: each a copy of one ticket the inbound
 * function really opened (its ticket, its messages, their Message-ID links and its receipt, read
 * back from the table), renumbered, with its own requester, subject, times and status, written
 * through the store's own item mapping (ticket-items.ts) with BatchWriteItem, several batches at
 * a time. Requesters come back (a pool of a quarter as many addresses as tickets), most tickets
 * are closed, some still open: what a table a year into production holds.
 */
export interface OpenedTicket {
  readonly ticket: Ticket;
  readonly messages: readonly TicketMessage[];
  readonly receipt: InboundReceipt;
}

/** A preloaded ticket the measured mail can answer: its requester and the Message-ID of our acknowledgement. */
export interface PreloadedTicket {
  readonly number: number;
  readonly requester: string;
  readonly requesterName: string | null;
  readonly subject: string;
  readonly status: TicketStatus;
  readonly acknowledgementId: string | null;
}

/** BatchWriteItem takes at most 25 items. */
const BATCH_ITEMS = 25;
const PARALLEL_BATCHES = 8;
const STATUS_SHARES: readonly [TicketStatus, number][] = [
  ['closed', 0.55],
  ['resolved', 0.15],
  ['waiting-on-customer', 0.1],
  ['open', 0.1],
  ['in-progress', 0.05],
  ['new', 0.05],
];
const DAY_MS = 86_400_000;

/** The requester address the n-th preloaded ticket is from: the pool is shared across calls, so later tickets repeat earlier requesters. */
export const preloadRequester = (index: number): string => `requester-${index}@preload.example`;

/**
 * Adds `count` tickets after the ones the table already numbered, and moves the ticket counter
 * past them; returns the tickets written. `seed` makes the copies the same from run to run.
 */
export async function preloadTickets(
  client: DynamoDBClient,
  tableName: string,
  template: OpenedTicket,
  options: { readonly count: number; readonly requesterPool: number; readonly seed: number; readonly now: number },
): Promise<PreloadedTicket[]> {
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const counter = await documents.send(new GetCommand({ TableName: tableName, Key: ticketCounterKey }));
  const first = Number(counter.Item?.['value'] ?? FIRST_TICKET_NUMBER - 1) + 1;
  const random = seededRandom(options.seed);
  const written: PreloadedTicket[] = [];
  const items: Record<string, unknown>[] = [];
  for (let offset = 0; offset < options.count; offset += 1) {
    const copy = copyOf(template, first + offset, random, options);
    items.push(ticketItem(copy.ticket), ...copy.messages.map(messageItem), receiptItem(copy.receipt));
    for (const message of copy.messages)
      if (message.messageId !== null) items.push(messageIdItem(message.messageId, copy.ticket.number));
    written.push({
      number: copy.ticket.number,
      requester: copy.ticket.requester,
      requesterName: copy.ticket.requesterName,
      subject: copy.ticket.subject,
      status: copy.ticket.status,
      acknowledgementId: copy.messages.find((message) => message.purpose === 'acknowledgement')?.messageId ?? null,
    });
  }
  let next = 0;
  const writer = async () => {
    while (next < items.length) {
      const batch = items.slice(next, next + BATCH_ITEMS);
      next += BATCH_ITEMS;
      let pending: Record<string, unknown[]> = {
        [tableName]: batch.map((Item) => ({ PutRequest: { Item } })),
      };
      // DynamoDB may hand back part of a batch when throttled: write that part again.
      while (Object.keys(pending).length > 0) {
        const answer = await documents.send(new BatchWriteCommand({ RequestItems: pending as never }));
        pending = (answer.UnprocessedItems ?? {}) as Record<string, unknown[]>;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_BATCHES }, writer));
  await documents.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...ticketCounterKey, entity: 'counter', value: first + options.count - 1 },
    }),
  );
  return written;
}

const shift = (at: string | null, by: number): string | null =>
  at === null ? null : new Date(Date.parse(at) + by).toISOString();

function copyOf(
  template: OpenedTicket,
  number: number,
  random: () => number,
  options: { readonly requesterPool: number; readonly now: number },
): OpenedTicket {
  const requester = preloadRequester(Math.floor(random() * options.requesterPool));
  const status = weighted(random, STATUS_SHARES);
  // Opened some time in the past year; the template's own times keep their spacing.
  const createdAt = options.now - Math.floor(random() * 365 * DAY_MS) - DAY_MS;
  const by = createdAt - Date.parse(template.ticket.createdAt);
  const subject = `${template.ticket.subject} (${number})`;
  const done = status === 'resolved' || status === 'closed';
  const ticket: Ticket = {
    ...template.ticket,
    number,
    requester,
    requesterName: `Requester ${number}`,
    subject,
    normalizedSubject: subject.toLowerCase(),
    status,
    createdAt: shift(template.ticket.createdAt, by)!,
    updatedAt: shift(template.ticket.updatedAt, by + (done ? 2 * DAY_MS : 0))!,
    lastCustomerMessageAt: shift(template.ticket.lastCustomerMessageAt, by),
    firstResponseDue: shift(template.ticket.firstResponseDue, by),
    resolutionDue: shift(template.ticket.resolutionDue, by),
    firstRespondedAt: status === 'new' ? null : shift(template.ticket.createdAt, by + DAY_MS / 4),
    resolvedAt: done ? shift(template.ticket.createdAt, by + DAY_MS) : null,
    closedAt: status === 'closed' ? shift(template.ticket.createdAt, by + 2 * DAY_MS) : null,
  };
  const messages = template.messages.map((message) => ({
    ...message,
    ticketNumber: number,
    at: shift(message.at, by)!,
    from: message.direction === 'inbound' ? requester : message.from,
    to: message.direction === 'outbound' ? [requester] : message.to,
    subject: message.direction === 'inbound' ? subject : message.subject.replace(template.ticket.subject, subject),
    messageId:
      message.messageId === null
        ? null
        : message.direction === 'inbound'
          ? `<preload-${number}@preload.example>`
          : `<0100preload${number}-${message.sequence}@email.amazonses.com>`,
    rawKey: message.rawKey === null ? null : `inbound/preload-${number}`,
  }));
  const receipt: InboundReceipt = {
    ...template.receipt,
    key: `preload-${number}`,
    at: shift(template.receipt.at, by)!,
    ticketNumber: number,
    completedAt: shift(template.receipt.completedAt, by),
  };
  return { ticket, messages, receipt };
}
