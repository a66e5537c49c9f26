import {
  type CancellationReason,
  ConditionalCheckFailedException,
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbTicketStore } from '../../../lib/adapters/dynamodb/dynamodb-ticket-store.ts';
import { AtendeError } from '../../../lib/domain/atende-error.ts';
import { aCustomer, aMessage, aReceipt, aTicket } from '../../support/ticket-fixtures.ts';

// Narrow tests of the exact requests; behaviour against a real engine is in test/integration/store.
const documents = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbTicketStore({
  client: new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  tableName: 'tickets',
});

/** A cancellation as DynamoDB reports it: one reason per transaction item, in order. */
const cancelled = (...reasons: (string | CancellationReason)[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
    $metadata: {},
    CancellationReasons: reasons.map((reason) => (typeof reason === 'string' ? { Code: reason } : reason)),
  });

const failure = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

beforeEach(() => {
  documents.reset();
});
afterAll(() => {
  documents.restore();
});

describe('createTicket', () => {
  it('writes the ticket, its first message, its Message-ID link and the receipt in one TransactWriteItems', async () => {
    documents.on(TransactWriteCommand).resolves({});
    const message = aMessage(1000, 1, { messageId: '<abc@mail.example.com>', at: '2025-03-03T12:00:00Z' });
    const receipt = aReceipt({ key: 'ses-1', ticketNumber: 1000 });

    await store.createTicket({ ticket: aTicket(1000), firstMessage: message, receipt });

    const calls = documents.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    const items = calls[0]?.args[0].input.TransactItems ?? [];
    expect(
      items.map((item) => ({
        table: item.Put?.TableName,
        pk: item.Put?.Item?.['pk'],
        sk: item.Put?.Item?.['sk'],
        entity: item.Put?.Item?.['entity'],
        condition: item.Put?.ConditionExpression,
      })),
    ).toEqual([
      { table: 'tickets', pk: 'T#1000', sk: 'TICKET', entity: 'ticket', condition: 'attribute_not_exists(pk)' },
      {
        table: 'tickets',
        pk: 'T#1000',
        sk: 'M#2025-03-03T12:00:00.000Z#000001',
        entity: 'message',
        condition: undefined,
      },
      {
        table: 'tickets',
        pk: 'MID#abc@mail.example.com',
        sk: 'MID',
        entity: 'messageId',
        condition: 'attribute_not_exists(pk)',
      },
      { table: 'tickets', pk: 'IN#ses-1', sk: 'IN', entity: 'receipt', condition: 'attribute_not_exists(pk)' },
    ]);
    expect(items[0]?.Put?.Item).toMatchObject({
      version: 1,
      requesterPk: 'REQ#ana@example.com',
      requesterSk: 'OPEN#2025-03-03T12:00:00.000Z#0000001000',
      listingPk: 'QUEUE#servicedesk',
    });
    expect(items[2]?.Put?.Item).toMatchObject({ ticketNumber: 1000 });
  });

  it('turns a failed condition on the receipt into store.duplicateReceipt, keeping the cause', async () => {
    const rejection = cancelled('None', 'None', 'None', 'ConditionalCheckFailed');
    documents.on(TransactWriteCommand).rejects(rejection);

    const error = await failure(
      store.createTicket({
        ticket: aTicket(1000),
        firstMessage: aMessage(1000, 1),
        receipt: aReceipt({ key: 'ses-1' }),
      }),
    );

    expect(error).toBeInstanceOf(AtendeError);
    expect(error).toMatchObject({ code: 'store.duplicateReceipt', details: { receiptKey: 'ses-1' }, cause: rejection });
  });

  it('turns a failed condition on the Message-ID link into store.duplicateMessageId', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed', 'None'));

    const error = await failure(
      store.createTicket({ ticket: aTicket(1000), firstMessage: aMessage(1000, 1), receipt: aReceipt() }),
    );

    expect(error).toMatchObject({ code: 'store.duplicateMessageId' });
  });

  it('turns a cancellation for throttling or contention only into store.contention, keeping the cause', async () => {
    const throttled = cancelled('None', 'ThrottlingError', 'None', 'None');
    documents.on(TransactWriteCommand).rejects(throttled);

    const error = await failure(
      store.createTicket({ ticket: aTicket(1000), firstMessage: aMessage(1000, 1), receipt: aReceipt() }),
    );

    expect(error).toMatchObject({ code: 'store.contention', cause: throttled });
  });

  it('rethrows a cancellation that is neither a failed condition of ours nor contention unchanged', async () => {
    const invalid = cancelled('None', 'ValidationError', 'None', 'None');
    documents.on(TransactWriteCommand).rejects(invalid);

    const error = await failure(
      store.createTicket({ ticket: aTicket(1000), firstMessage: aMessage(1000, 1), receipt: aReceipt() }),
    );

    expect(error).toBe(invalid);
  });

  it.each([
    [
      'throttled (ProvisionedThroughputExceeded)',
      'store.throttled',
      new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }),
    ],
    [
      'throttled (ThrottlingException)',
      'store.throttled',
      new ThrottlingException({ message: 'slow down', $metadata: {} }),
    ],
    [
      'failed by the service (5xx)',
      'store.unavailable',
      new InternalServerError({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } }),
    ],
    [
      'left unanswered (a timeout)',
      'store.unavailable',
      Object.assign(new Error('Connection timed out after 2000 ms'), { name: 'TimeoutError' }),
    ],
    [
      'cut off (a reset connection)',
      'store.unavailable',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    ],
  ])('turns a transaction %s into %s, a failure that may pass, keeping the cause', async (_, code, sdkError) => {
    documents.on(TransactWriteCommand).rejects(sdkError);

    const error = await failure(store.createTicket({ ticket: aTicket(1000), firstMessage: aMessage(1000, 1) }));

    expect(error).toMatchObject({ code, cause: sdkError, details: { operation: 'createTicket', retryable: true } });
  });

  it('rethrows other errors unchanged', async () => {
    const missing = new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} });
    documents.on(TransactWriteCommand).rejects(missing);

    expect(await failure(store.createTicket({ ticket: aTicket(1000), firstMessage: aMessage(1000, 1) }))).toBe(missing);
  });
});

describe('addMessage', () => {
  it('conditions the ticket on the expected version and stores the next one', async () => {
    documents.on(TransactWriteCommand).resolves({});

    await store.addMessage({
      ticket: aTicket(1000, { messageCount: 2 }),
      expectedVersion: 4,
      message: aMessage(1000, 2, { messageId: null }),
    });

    const items = documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(items[0]?.Put).toMatchObject({
      ConditionExpression: '#version = :expectedVersion',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expectedVersion': 4 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      Item: { version: 5 },
    });
  });

  it.each([
    [
      'a newer version is stored',
      { Code: 'ConditionalCheckFailed', Item: { version: { N: '2' } } },
      'store.versionConflict',
    ],
    ['no ticket is stored', { Code: 'ConditionalCheckFailed' }, 'store.ticketNotFound'],
    ['another transaction is writing the ticket', { Code: 'TransactionConflict' }, 'store.versionConflict'],
  ])('fails with the right code when %s', async (_, reason, code) => {
    documents.on(TransactWriteCommand).rejects(cancelled(reason, 'None'));

    const error = await failure(
      store.addMessage({ ticket: aTicket(1000), expectedVersion: 1, message: aMessage(1000, 2, { messageId: null }) }),
    );

    expect(error).toMatchObject({ code });
  });
});

describe('saveTicket', () => {
  it('puts the ticket alone, conditioned on the expected version', async () => {
    documents.on(PutCommand).resolves({});

    const saved = await store.saveTicket(aTicket(1000, { status: 'closed' }), 2);

    expect(saved.version).toBe(3);
    expect(documents.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'tickets',
      Item: { pk: 'T#1000', sk: 'TICKET', version: 3, requesterSk: 'CLOSED#2025-03-03T12:00:00.000Z#0000001000' },
      ConditionExpression: '#version = :expectedVersion',
      ExpressionAttributeValues: { ':expectedVersion': 2 },
    });
  });

  it('tells a version conflict from a missing ticket by the old item DynamoDB returns', async () => {
    documents
      .on(PutCommand)
      .rejectsOnce(
        new ConditionalCheckFailedException({ message: 'failed', $metadata: {}, Item: { version: { N: '3' } } }),
      )
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));

    expect(await failure(store.saveTicket(aTicket(1000), 2))).toMatchObject({ code: 'store.versionConflict' });
    expect(await failure(store.saveTicket(aTicket(1000), 2))).toMatchObject({ code: 'store.ticketNotFound' });
  });
});

describe('listCustomers', () => {
  it('reads the suspended customers with one Query on the listing index, by sort-key prefix', async () => {
    documents.on(QueryCommand).resolves({ Items: [] });

    await store.listCustomers({ suspended: true });

    const calls = documents.commandCalls(QueryCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      IndexName: 'byListing',
      KeyConditionExpression: 'listingPk = :customers AND begins_with(listingSk, :suspended)',
      ExpressionAttributeValues: { ':customers': 'CUSTOMERS', ':suspended': 'SUSPENDED#' },
    });
  });

  it('files a saved customer under its listing keys, which change when it is suspended', async () => {
    documents.on(PutCommand).resolves({});

    await store.saveCustomer(aCustomer('Ana@Example.org'));
    await store.saveCustomer(
      aCustomer('ana@example.org', { suspended: true, suspendedAt: '2025-03-01T00:00:00.000Z' }),
    );

    expect(documents.commandCalls(PutCommand).map((call) => call.args[0].input.Item?.['listingSk'])).toEqual([
      'ACTIVE#ana@example.org',
      'SUSPENDED#ana@example.org',
    ]);
  });
});
