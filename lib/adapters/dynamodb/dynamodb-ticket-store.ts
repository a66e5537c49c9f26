import { ConditionalCheckFailedException, TransactionConflictException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  FIRST_TICKET_NUMBER,
  normalizeMessageId,
  type AddMessageInput,
  type CreateTicketInput,
  type Customer,
  type InboundReceipt,
  type ListingOptions,
  type QuarantineRecord,
  type TicketStore,
} from '../../application/ports/ticket-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import type { Ticket, TicketMessage } from '../../domain/ticket/ticket.ts';
import {
  customerItem,
  messageIdItem,
  quarantineItem,
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
  customerKey,
  LISTING_INDEX,
  MESSAGE_SORT_PREFIX,
  messageIdKey,
  OPEN_TICKETS_PREFIX,
  QUARANTINE_PARTITION,
  queuePartition,
  receiptKey,
  REQUESTER_INDEX,
  requesterPartition,
  ticketCounterKey,
  ticketKey,
  ticketPartition,
} from './ticket-table-keys.ts';
import { TicketTransaction, translateCancellation, type TransactionContext } from './ticket-transaction.ts';

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_LIMIT = 100;
/** Unprocessed keys (throttling) are retried this many times, with exponential backoff from 50 ms. */
const UNPROCESSED_RETRIES = 5;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface DynamoDbTicketStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** The ticket store on one DynamoDB table (layout: ticket-table-keys.ts). Every read path is a GetItem, BatchGetItem or Query. */
export class DynamoDbTicketStore implements TicketStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbTicketStoreOptions) {
    this.documents = DynamoDBDocumentClient.from(options.client);
    this.tableName = options.tableName;
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
      throw new AtendeError('store.invalidItem', 'The ticket counter did not return a number', { details: { value: String(value) } });
    }
    return value;
  }

  async createTicket({ ticket, firstMessage, receipt }: CreateTicketInput): Promise<Ticket> {
    const stored: Ticket = { ...ticket, version: 1 };
    const transaction = new TicketTransaction(this.tableName);
    transaction.put('ticket', ticketItem(stored), { ConditionExpression: 'attribute_not_exists(pk)' });
    transaction.putMessage(stored, firstMessage, receipt);
    await this.commit(transaction, { operation: 'createTicket', ticketNumber: ticket.number, expectedVersion: null, receiptKey: receipt?.key ?? null, messageId: firstMessage.messageId });
    return stored;
  }

  async addMessage({ ticket, expectedVersion, message, receipt }: AddMessageInput): Promise<Ticket> {
    const stored: Ticket = { ...ticket, version: expectedVersion + 1 };
    const transaction = new TicketTransaction(this.tableName);
    transaction.put('ticket', ticketItem(stored), {
      ConditionExpression: '#version = :expectedVersion',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expectedVersion': expectedVersion },
      // The old item tells a stale version from a missing ticket.
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    transaction.putMessage(stored, message, receipt);
    await this.commit(transaction, { operation: 'addMessage', ticketNumber: ticket.number, expectedVersion, receiptKey: receipt?.key ?? null, messageId: message.messageId });
    return stored;
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
        throw new AtendeError('store.ticketNotFound', `Ticket ${ticket.number} does not exist`, { cause: error, details });
      }
      // A transaction writing this ticket at the same moment means a newer version is on its way.
      if (error instanceof ConditionalCheckFailedException || error instanceof TransactionConflictException) {
        throw new AtendeError('store.versionConflict', `Ticket ${ticket.number} changed since version ${expectedVersion}`, { cause: error, details });
      }
      throw error;
    }
    return stored;
  }

  async getTicket(number: number): Promise<Ticket | null> {
    // Strongly consistent: read-modify-write cycles (updateTicket) must see the latest version.
    const result = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: ticketKey(number), ConsistentRead: true }));
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
    // BatchGetItem rejects duplicate keys, and answers in no particular order: dedupe here, order below.
    const ids = [...new Set(messageIds.map(normalizeMessageId).filter((id) => id !== ''))];
    for (let start = 0; start < ids.length; start += BATCH_GET_LIMIT) {
      const chunk = ids.slice(start, start + BATCH_GET_LIMIT);
      const found = await this.batchGetMessageIds(chunk);
      for (const id of chunk) {
        const ticketNumber = found.get(messageIdKey(id).pk);
        if (ticketNumber !== undefined) return ticketNumber;
      }
    }
    return null;
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
      throw error;
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
      await this.documents.send(new PutCommand({ TableName: this.tableName, Item: receiptItem(receipt), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new AtendeError('store.duplicateReceipt', `Inbound event ${receipt.key} was already processed`, { cause: error, details: { receiptKey: receipt.key } });
      }
      throw error;
    }
  }

  async getReceipt(key: string): Promise<InboundReceipt | null> {
    const result = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: receiptKey(key), ConsistentRead: true }));
    return result.Item === undefined ? null : readReceipt(result.Item);
  }

  async getCustomer(key: string): Promise<Customer | null> {
    const result = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: customerKey(key), ConsistentRead: true }));
    return result.Item === undefined ? null : readCustomer(result.Item);
  }

  async saveCustomer(customer: Customer): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: customerItem(customer) }));
  }

  async putQuarantine(record: QuarantineRecord): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: quarantineItem(record) }));
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

  private async commit(transaction: TicketTransaction, context: Omit<TransactionContext, 'parts'>): Promise<void> {
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: transaction.items }));
    } catch (error) {
      throw translateCancellation(error, { ...context, parts: transaction.parts });
    }
  }

  private async queryAll(input: QueryCommandInput, limit?: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const remaining = limit === undefined ? undefined : limit - items.length;
      const page = await this.documents.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey, ...(remaining === undefined ? {} : { Limit: remaining }) }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && (limit === undefined || items.length < limit));
    return items;
  }

  private async batchGetMessageIds(ids: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    let keys: Record<string, unknown>[] = ids.map((id) => ({ ...messageIdKey(id) }));
    for (let attempt = 0; keys.length > 0; attempt += 1) {
      if (attempt > UNPROCESSED_RETRIES) {
        throw new AtendeError('store.throttled', 'DynamoDB kept leaving Message-ID lookups unprocessed', { details: { unprocessed: keys.length } });
      }
      if (attempt > 0) await sleep(50 * 2 ** (attempt - 1));
      const result = await this.documents.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: keys, ProjectionExpression: 'pk, #entity, #ticketNumber', ExpressionAttributeNames: { '#entity': 'entity', '#ticketNumber': 'ticketNumber' } } },
        }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        const pk = item['pk'];
        if (typeof pk === 'string') found.set(pk, readMessageIdLink(item));
      }
      keys = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return found;
  }
}
