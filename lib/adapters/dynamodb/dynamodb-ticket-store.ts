import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Clock } from '../../application/ports/clock.ts';
import {
  type AddMessageInput,
  type CreateTicketInput,
  type Customer,
  type CustomerListingOptions,
  FIRST_TICKET_NUMBER,
  type InboundReceipt,
  type ListingOptions,
  normalizeMessageId,
  type QuarantineMailInput,
  type QuarantineRecord,
  type ReceiptLease,
  type RecordSentMailInput,
  type ReplyContext,
  type ReplyContextQuery,
  type RequesterOverview,
  type TicketStore,
} from '../../application/ports/ticket-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import type { Ticket, TicketMessage } from '../../domain/ticket/ticket.ts';
import { translateItemTooLarge } from './item-too-large.ts';
import {
  customerItem,
  LEGACY_LEASE_MS,
  messageIdItem,
  readCustomer,
  readMessage,
  readMessageIdLink,
  readQuarantine,
  readReceipt,
  readTicket,
  receiptItem,
  ticketItem,
} from './ticket-items.ts';
import {
  CUSTOMER_PARTITION,
  CUSTOMER_REQUESTER_SORT,
  customerKey,
  LISTING_INDEX,
  MESSAGE_SORT_PREFIX,
  messageIdKey,
  OPEN_TICKETS_PREFIX,
  QUARANTINE_PARTITION,
  queuePartition,
  REQUESTER_INDEX,
  receiptKey,
  requesterPartition,
  SUSPENDED_CUSTOMERS_PREFIX,
  type TableKey,
  ticketCounterKey,
  ticketKey,
  ticketPartition,
} from './ticket-table-keys.ts';
import { TicketTransaction, type TransactionContext, translateCancellation } from './ticket-transaction.ts';

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_LIMIT = 100;
/** Unprocessed keys (throttling) are retried this many times, with exponential backoff from 50 ms. */
const UNPROCESSED_RETRIES = 5;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Item = Record<string, unknown>;

/** BatchGetItem rejects duplicate keys, and blank ids match nothing: the ids to look up, in order, once each. */
const distinctMessageIds = (messageIds: readonly string[]): string[] => [
  ...new Set(messageIds.map(normalizeMessageId).filter((id) => id !== '')),
];

export interface DynamoDbTicketStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Stamps a receipt's completedAt (recordSentMail); the system clock when absent. */
  readonly clock?: Clock;
}

/** The ticket store on one DynamoDB table (layout: ticket-table-keys.ts). Every read path is a GetItem, BatchGetItem or Query. */
export class DynamoDbTicketStore implements TicketStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;

  constructor(options: DynamoDbTicketStoreOptions) {
    // OutgoingMail (pending mail on receipts) has optional fields that callers may set to undefined; DynamoDB has no undefined.
    this.documents = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  async allocateTicketNumber(): Promise<number> {
    // SET with if_not_exists rather than ADD: ADD starts from 0, and numbers start at FIRST_TICKET_NUMBER. Still one atomic update.
    const result = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: ticketCounterKey,
        UpdateExpression: 'SET #value = if_not_exists(#value, :beforeFirst) + :one, #entity = :entity',
        ExpressionAttributeNames: { '#value': 'value', '#entity': 'entity' },
        ExpressionAttributeValues: { ':beforeFirst': FIRST_TICKET_NUMBER - 1, ':one': 1, ':entity': 'counter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const value = result.Attributes?.['value'];
    if (typeof value !== 'number') {
      throw new AtendeError('store.invalidItem', 'The ticket counter did not return a number', {
        details: { value: String(value) },
      });
    }
    return value;
  }

  async createTicket({ ticket, firstMessage, receipt, customer, threadClaims }: CreateTicketInput): Promise<Ticket> {
    const stored: Ticket = { ...ticket, version: 1 };
    const transaction = new TicketTransaction(this.tableName);
    transaction.put('ticket', ticketItem(stored), { ConditionExpression: 'attribute_not_exists(pk)' });
    transaction.putMessage(stored, firstMessage, receipt);
    transaction.putThreadClaims(threadClaims);
    transaction.putCustomer(customer);
    await this.commit(transaction, { operation: 'createTicket', ticketNumber: ticket.number, expectedVersion: null });
    return stored;
  }

  async addMessage({
    ticket,
    expectedVersion,
    message,
    receipt,
    customer,
    threadClaims,
  }: AddMessageInput): Promise<Ticket> {
    const stored: Ticket = { ...ticket, version: expectedVersion + 1 };
    const transaction = new TicketTransaction(this.tableName);
    transaction.put('ticket', ticketItem(stored), {
      ConditionExpression: '#version = :expectedVersion',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expectedVersion': expectedVersion },
      // The old item tells a stale version from a missing ticket.
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    if (message === null) transaction.putReceipt(receipt);
    else transaction.putMessage(stored, message, receipt);
    transaction.putThreadClaims(threadClaims);
    transaction.putCustomer(customer);
    await this.commit(transaction, { operation: 'addMessage', ticketNumber: ticket.number, expectedVersion });
    return stored;
  }

  async recordSentMail({ ticketNumber, messages, receiptKey: key, remaining }: RecordSentMailInput): Promise<void> {
    const transaction = new TicketTransaction(this.tableName);
    for (const message of messages) {
      if (ticketNumber === null) throw new Error('Messages of settled mail need the ticket they belong to');
      transaction.putSentMessage(ticketNumber, message);
    }
    if (key !== null) transaction.settleReceipt(key, remaining, this.now());
    if (transaction.items.length === 0) return;
    await this.commit(transaction, { operation: 'recordSentMail', ticketNumber, expectedVersion: null });
  }

  async saveTicket(ticket: Ticket, expectedVersion: number): Promise<Ticket> {
    const stored: Ticket = { ...ticket, version: expectedVersion + 1 };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: ticketItem(stored),
          ConditionExpression: '#version = :expectedVersion',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expectedVersion': expectedVersion },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      const details = { ticketNumber: ticket.number, expectedVersion };
      if (error instanceof ConditionalCheckFailedException && error.Item === undefined) {
        throw new AtendeError('store.ticketNotFound', `Ticket ${ticket.number} does not exist`, {
          cause: error,
          details,
        });
      }
      // A transaction writing this ticket at the same moment means a newer version is on its way.
      if (error instanceof ConditionalCheckFailedException || error instanceof TransactionConflictException) {
        throw new AtendeError(
          'store.versionConflict',
          `Ticket ${ticket.number} changed since version ${expectedVersion}`,
          { cause: error, details },
        );
      }
      throw translateItemTooLarge(error, { operation: 'saveTicket', ...details });
    }
    return stored;
  }

  async getTicket(number: number): Promise<Ticket | null> {
    // Strongly consistent: read-modify-write cycles (updateTicket) must see the latest version.
    const result = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: ticketKey(number), ConsistentRead: true }),
    );
    return result.Item === undefined ? null : readTicket(result.Item);
  }

  async listMessages(number: number): Promise<TicketMessage[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :messages)',
      ExpressionAttributeValues: { ':pk': ticketPartition(number), ':messages': MESSAGE_SORT_PREFIX },
      ConsistentRead: true,
    });
    return items.map(readMessage);
  }

  async ticketForMessageIds(messageIds: readonly string[]): Promise<number | null> {
    const keys = distinctMessageIds(messageIds).map(messageIdKey);
    for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
      const chunk = keys.slice(start, start + BATCH_GET_LIMIT);
      // The link's ticket number is all that is needed.
      const found = await this.batchGet(chunk, {
        ProjectionExpression: 'pk, #entity, #ticketNumber',
        ExpressionAttributeNames: { '#entity': 'entity', '#ticketNumber': 'ticketNumber' },
      });
      const ticketNumber = firstLinkedTicket(chunk, found);
      if (ticketNumber !== null) return ticketNumber;
    }
    return null;
  }

  async replyContext({ messageIds, customerKey: key }: ReplyContextQuery): Promise<ReplyContext> {
    // The customer rides in the first batch; later batches (over 99 ids, rare) only if no id matched yet.
    const customerPk = customerKey(key).pk;
    const keys = [customerKey(key), ...distinctMessageIds(messageIds).map(messageIdKey)];
    let customer: Customer | null = null;
    for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
      const chunk = keys.slice(start, start + BATCH_GET_LIMIT);
      // Consistent, as getCustomer: the customer's lastAcknowledgedAt rate-limits acknowledgements.
      // No projection: it would apply to the customer item too, and links are a few bytes anyway.
      const found = await this.batchGet(chunk, { ConsistentRead: true });
      const customerFound = found.get(customerPk);
      if (customerFound !== undefined) customer = readCustomer(customerFound);
      const ticketNumber = firstLinkedTicket(
        chunk.filter((chunkKey) => chunkKey.pk !== customerPk),
        found,
      );
      if (ticketNumber !== null) return { ticketNumber, customer };
    }
    return { ticketNumber: null, customer };
  }

  async linkMessageId(messageId: string, ticketNumber: number): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: messageIdItem(messageId, ticketNumber),
          // Linking twice to the same ticket succeeds (SES ids come back on retries); to another ticket it must not.
          ConditionExpression: 'attribute_not_exists(pk) OR #ticketNumber = :ticketNumber',
          ExpressionAttributeNames: { '#ticketNumber': 'ticketNumber' },
          ExpressionAttributeValues: { ':ticketNumber': ticketNumber },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new AtendeError('store.duplicateMessageId', `Message-ID ${messageId} already belongs to another ticket`, {
          cause: error,
          details: { messageId, ticketNumber },
        });
      }
      throw translateItemTooLarge(error, { operation: 'linkMessageId', messageId, ticketNumber });
    }
  }

  async openTicketsOfRequester(address: string): Promise<Ticket[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: REQUESTER_INDEX,
      KeyConditionExpression: 'requesterPk = :requester AND begins_with(requesterSk, :open)',
      ExpressionAttributeValues: { ':requester': requesterPartition(address), ':open': OPEN_TICKETS_PREFIX },
      ScanIndexForward: false,
    });
    return items.map(readTicket);
  }

  async requesterOverview(address: string): Promise<RequesterOverview> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: REQUESTER_INDEX,
      // CLOSED#… < CUSTOMER < OPEN#…: the customer record and the open tickets, never the closed ones (ticket-table-keys.ts).
      KeyConditionExpression: 'requesterPk = :requester AND requesterSk >= :customer',
      ExpressionAttributeValues: { ':requester': requesterPartition(address), ':customer': CUSTOMER_REQUESTER_SORT },
      // Newest open ticket first; the customer record sorts last.
      ScanIndexForward: false,
    });
    let customer: Customer | null = null;
    const openTickets: Ticket[] = [];
    for (const item of items) {
      if (item['entity'] === 'customer') customer = readCustomer(item);
      else openTickets.push(readTicket(item));
    }
    return { customer, openTickets };
  }

  async ticketsOfQueue(queue: string, options: ListingOptions = {}): Promise<Ticket[]> {
    const items = await this.queryAll(
      {
        TableName: this.tableName,
        IndexName: LISTING_INDEX,
        KeyConditionExpression: 'listingPk = :queue',
        ExpressionAttributeValues: { ':queue': queuePartition(queue) },
        ScanIndexForward: false,
      },
      options.limit,
    );
    return items.map(readTicket);
  }

  async recordReceipt(receipt: InboundReceipt): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: receiptItem(receipt),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new AtendeError('store.duplicateReceipt', `Inbound event ${receipt.key} was already processed`, {
          cause: error,
          details: { receiptKey: receipt.key },
        });
      }
      throw translateItemTooLarge(error, { operation: 'recordReceipt', receiptKey: receipt.key });
    }
  }

  async leaseReceipt({ key, now, until }: ReceiptLease): Promise<{ receipt: InboundReceipt; leased: boolean }> {
    try {
      const result = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: receiptKey(key),
          UpdateExpression: 'SET #leaseUntil = :until',
          // Receipts stored before effects had kinds owe `pendingMail`, and before leases existed had
          // none: their lease was their first attempt's (LEGACY_LEASE_MS from `at`).
          ConditionExpression: [
            'attribute_exists(pk)',
            '(size(#owed) > :zero OR size(#pendingMail) > :zero)',
            '(#leaseUntil = :null OR #leaseUntil < :now OR (attribute_not_exists(#leaseUntil) AND #at < :legacyStart))',
          ].join(' AND '),
          ExpressionAttributeNames: {
            '#leaseUntil': 'leaseUntil',
            '#at': 'at',
            '#owed': 'owed',
            '#pendingMail': 'pendingMail',
          },
          ExpressionAttributeValues: {
            ':until': until,
            ':now': now,
            ':null': null,
            ':zero': 0,
            ':legacyStart': new Date(Date.parse(now) - LEGACY_LEASE_MS).toISOString(),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      if (result.Attributes === undefined) throw new Error('DynamoDB answered an update without the item');
      return { receipt: readReceipt(result.Attributes), leased: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (error.Item === undefined) {
        throw new AtendeError('store.receiptNotFound', `Inbound event ${key} has no receipt to lease`, {
          cause: error,
          details: { receiptKey: key },
        });
      }
      // The exception carries the old item as DynamoDB sent it: the document client does not convert errors.
      return { receipt: readReceipt(unmarshall(error.Item as Parameters<typeof unmarshall>[0])), leased: false };
    }
  }

  async releaseReceiptLease(key: string): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: receiptKey(key),
          UpdateExpression: 'SET #leaseUntil = :null',
          // Without the condition an update would create an item holding nothing but the lease.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#leaseUntil': 'leaseUntil' },
          ExpressionAttributeValues: { ':null': null },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async quarantineMail({ receipt, record, customer }: QuarantineMailInput): Promise<void> {
    const transaction = new TicketTransaction(this.tableName);
    transaction.putQuarantine(receipt, record);
    transaction.putCustomer(customer);
    await this.commit(transaction, { operation: 'quarantineMail', ticketNumber: null, expectedVersion: null });
  }

  async getReceipt(key: string): Promise<InboundReceipt | null> {
    const result = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: receiptKey(key), ConsistentRead: true }),
    );
    return result.Item === undefined ? null : readReceipt(result.Item);
  }

  async getCustomer(key: string): Promise<Customer | null> {
    const result = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: customerKey(key), ConsistentRead: true }),
    );
    return result.Item === undefined ? null : readCustomer(result.Item);
  }

  async saveCustomer(customer: Customer): Promise<void> {
    await this.put(customerItem(customer), { operation: 'saveCustomer', customerKey: customer.key });
  }

  async listCustomers(options: CustomerListingOptions = {}): Promise<Customer[]> {
    const items = await this.queryAll(
      {
        TableName: this.tableName,
        IndexName: LISTING_INDEX,
        KeyConditionExpression: options.suspended
          ? 'listingPk = :customers AND begins_with(listingSk, :suspended)'
          : 'listingPk = :customers',
        ExpressionAttributeValues: {
          ':customers': CUSTOMER_PARTITION,
          ...(options.suspended ? { ':suspended': SUSPENDED_CUSTOMERS_PREFIX } : {}),
        },
      },
      options.limit,
    );
    return items.map(readCustomer);
  }

  async listQuarantine(options: ListingOptions = {}): Promise<QuarantineRecord[]> {
    const items = await this.queryAll(
      {
        TableName: this.tableName,
        IndexName: LISTING_INDEX,
        KeyConditionExpression: 'listingPk = :quarantine',
        ExpressionAttributeValues: { ':quarantine': QUARANTINE_PARTITION },
        ScanIndexForward: false,
      },
      options.limit,
    );
    return items.map(readQuarantine);
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** An unconditional put (last write wins). */
  private async put(item: Item, details: Record<string, unknown>): Promise<void> {
    try {
      await this.documents.send(new PutCommand({ TableName: this.tableName, Item: item }));
    } catch (error) {
      throw translateItemTooLarge(error, details);
    }
  }

  private async commit(
    transaction: TicketTransaction,
    context: Omit<TransactionContext, 'parts' | 'subjects'>,
  ): Promise<void> {
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: transaction.items }));
    } catch (error) {
      throw translateCancellation(error, { ...context, parts: transaction.parts, subjects: transaction.subjects });
    }
  }

  private async queryAll(input: QueryCommandInput, limit?: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const remaining = limit === undefined ? undefined : limit - items.length;
      const page = await this.documents.send(
        new QueryCommand({
          ...input,
          ExclusiveStartKey: startKey,
          ...(remaining === undefined ? {} : { Limit: remaining }),
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && (limit === undefined || items.length < limit));
    return items;
  }

  /**
   * One BatchGetItem for up to 100 keys, again for what DynamoDB left unprocessed (throttling).
   * The items found, by pk (every key read here has a pk of its own).
   */
  private async batchGet(
    keys: readonly TableKey[],
    options: {
      ProjectionExpression?: string;
      ExpressionAttributeNames?: Record<string, string>;
      ConsistentRead?: boolean;
    },
  ): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    let pending: Item[] = keys.map((key) => ({ ...key }));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > UNPROCESSED_RETRIES) {
        throw new AtendeError('store.throttled', 'DynamoDB kept leaving keys of a BatchGetItem unprocessed', {
          details: { unprocessed: pending.length },
        });
      }
      if (attempt > 0) await sleep(50 * 2 ** (attempt - 1));
      const result = await this.documents.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ...options } } }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        const pk = item['pk'];
        if (typeof pk === 'string') found.set(pk, item);
      }
      pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return found;
  }
}

/** The ticket of the first Message-ID link (`linkKeys`, in their order) that was found, or null. */
const firstLinkedTicket = (linkKeys: readonly TableKey[], found: ReadonlyMap<string, Item>): number | null => {
  for (const key of linkKeys) {
    const item = found.get(key.pk);
    if (item !== undefined) return readMessageIdLink(item);
  }
  return null;
};
