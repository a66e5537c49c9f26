import {
  type CancellationReason,
  DynamoDBClient,
  DynamoDBServiceException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbTicketStore } from '../../../lib/adapters/dynamodb/dynamodb-ticket-store.ts';
import { customerItem, messageIdItem, ticketItem } from '../../../lib/adapters/dynamodb/ticket-items.ts';
import {
  aCustomer,
  aMessage,
  anOutboundMessage,
  anOwedMail,
  aReceipt,
  aTicket,
} from '../../support/ticket-fixtures.ts';

// The exact requests behind ingest's budget of four per message; behaviour on a real engine is in
// test/integration/store (the contract, run on DynamoDB Local).
const documents = mockClient(DynamoDBDocumentClient);
const NOW = Date.parse('2025-03-03T12:00:03.000Z');
const store = new DynamoDbTicketStore({
  client: new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  tableName: 'tickets',
  clock: { now: () => NOW },
});

const cancelled = (...reasons: (string | CancellationReason)[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
    $metadata: {},
    CancellationReasons: reasons.map((reason) => (typeof reason === 'string' ? { Code: reason } : reason)),
  });

/** As DynamoDB answers: the SDK has no class for ValidationException, only its name. */
const validation = (message: string) =>
  new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {}, message });

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

describe('requesterOverview', () => {
  it('asks the requester index for the customer record and the open tickets in one Query, newest first', async () => {
    const customer = aCustomer('ana@example.com');
    const newer = aTicket(1001, { updatedAt: '2025-03-02T10:00:00.000Z' });
    const older = aTicket(1000, { updatedAt: '2025-03-01T10:00:00.000Z' });
    documents.on(QueryCommand).resolves({ Items: [ticketItem(newer), ticketItem(older), customerItem(customer)] });

    const overview = await store.requesterOverview('Ana@Example.com');

    expect(overview).toEqual({ customer, openTickets: [newer, older] });
    expect(documents.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: 'tickets',
        IndexName: 'byRequester',
        KeyConditionExpression: 'requesterPk = :requester AND requesterSk >= :customer',
        ExpressionAttributeValues: { ':requester': 'REQ#ana@example.com', ':customer': 'CUSTOMER' },
        ScanIndexForward: false,
        ExclusiveStartKey: undefined,
      },
    ]);
  });

  it('follows LastEvaluatedKey to the next page', async () => {
    const lastKey = { pk: 'T#1001', sk: 'TICKET', requesterPk: 'REQ#ana@example.com', requesterSk: 'OPEN#x' };
    documents
      .on(QueryCommand)
      .resolvesOnce({ Items: [ticketItem(aTicket(1001))], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [ticketItem(aTicket(1000)), customerItem(aCustomer('ana@example.com'))] });

    const overview = await store.requesterOverview('ana@example.com');

    expect(overview.openTickets.map((ticket) => ticket.number)).toEqual([1001, 1000]);
    expect(overview.customer).not.toBeNull();
    expect(documents.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual(lastKey);
  });

  it('reports an item in the range that is neither a ticket nor a customer as store.invalidItem', async () => {
    documents.on(QueryCommand).resolves({ Items: [{ pk: 'X#1', sk: 'X', entity: 'quarantine' }] });

    expect(await failure(store.requesterOverview('ana@example.com'))).toMatchObject({ code: 'store.invalidItem' });
  });
});

describe('replyContext', () => {
  it('reads the customer and the Message-ID links in one consistent BatchGetItem, ids once each and in order', async () => {
    documents.on(BatchGetCommand).resolves({
      // DynamoDB answers in no particular order.
      Responses: {
        tickets: [
          messageIdItem('<b@example.com>', 1002),
          customerItem(aCustomer('ana@example.com')),
          messageIdItem('<c@example.com>', 1003),
        ],
      },
    });

    const context = await store.replyContext({
      messageIds: ['<a@example.com>', 'b@example.com', '<b@example.com>', ' <c@example.com>'],
      customerKey: 'Ana@Example.com',
    });

    expect(context).toEqual({ ticketNumber: 1002, customer: aCustomer('ana@example.com') });
    expect(documents.commandCalls(BatchGetCommand).map((call) => call.args[0].input)).toEqual([
      {
        RequestItems: {
          tickets: {
            Keys: [
              { pk: 'C#ana@example.com', sk: 'C' },
              { pk: 'MID#a@example.com', sk: 'MID' },
              { pk: 'MID#b@example.com', sk: 'MID' },
              { pk: 'MID#c@example.com', sk: 'MID' },
            ],
            ConsistentRead: true,
          },
        },
      },
    ]);
  });

  it('asks again for the keys DynamoDB left unprocessed, and only for them', async () => {
    const unprocessed = [
      { pk: 'C#ana@example.com', sk: 'C' },
      { pk: 'MID#a@example.com', sk: 'MID' },
    ];
    documents
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { tickets: [messageIdItem('<b@example.com>', 1002)] },
        UnprocessedKeys: { tickets: { Keys: unprocessed } },
      })
      .resolvesOnce({
        Responses: { tickets: [messageIdItem('<a@example.com>', 1001), customerItem(aCustomer('ana@example.com'))] },
      });

    const context = await store.replyContext({
      messageIds: ['<a@example.com>', '<b@example.com>'],
      customerKey: 'ana@example.com',
    });

    expect(context).toEqual({ ticketNumber: 1001, customer: aCustomer('ana@example.com') });
    const calls = documents.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.RequestItems?.['tickets']).toEqual({ Keys: unprocessed, ConsistentRead: true });
  });
});

describe('createTicket with a customer', () => {
  it("puts the customer, with its requester and listing index keys and no condition, in the ticket's TransactWriteItems", async () => {
    documents.on(TransactWriteCommand).resolves({});

    await store.createTicket({
      ticket: aTicket(1000),
      firstMessage: aMessage(1000, 1, { messageId: null }),
      customer: aCustomer('Ana@example.com'),
    });

    const items = documents.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(3);
    expect(items[2]).toEqual({
      Put: {
        TableName: 'tickets',
        Item: {
          pk: 'C#ana@example.com',
          sk: 'C',
          entity: 'customer',
          requesterPk: 'REQ#ana@example.com',
          requesterSk: 'CUSTOMER',
          // Added with listCustomers: every customer record is listed (customers list).
          listingPk: 'CUSTOMERS',
          listingSk: 'ACTIVE#ana@example.com',
          ...aCustomer('Ana@example.com'),
        },
      },
    });
  });
});

describe('recordSentMail', () => {
  const sent = [
    anOutboundMessage(1000, 2, { messageId: '<s2@email.amazonses.com>' }),
    anOutboundMessage(1000, 3, { messageId: '<s3@email.amazonses.com>' }),
  ];

  it("writes the messages, their links, the ticket's count and the receipt in one TransactWriteItems", async () => {
    documents.on(TransactWriteCommand).resolves({});

    await store.recordSentMail({ ticketNumber: 1000, messages: sent, receiptKey: 'ses-1', remaining: [] });

    const calls = documents.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(1);
    const items = calls[0]?.args[0].input.TransactItems ?? [];
    const link = (messageId: string) => ({
      Put: {
        TableName: 'tickets',
        Item: { pk: `MID#${messageId.slice(1, -1)}`, sk: 'MID', entity: 'messageId', messageId, ticketNumber: 1000 },
        ConditionExpression: 'attribute_not_exists(pk) OR #ticketNumber = :ticketNumber',
        ExpressionAttributeNames: { '#ticketNumber': 'ticketNumber' },
        ExpressionAttributeValues: { ':ticketNumber': 1000 },
      },
    });
    expect(items).toEqual([
      {
        Put: {
          TableName: 'tickets',
          Item: expect.objectContaining({ pk: 'T#1000', sk: 'M#2025-03-03T12:00:02.000Z#000002', entity: 'message' }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      link('<s2@email.amazonses.com>'),
      {
        Put: {
          TableName: 'tickets',
          Item: expect.objectContaining({ sk: 'M#2025-03-03T12:00:02.000Z#000003' }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      link('<s3@email.amazonses.com>'),
      {
        Update: {
          TableName: 'tickets',
          Key: { pk: 'IN#ses-1', sk: 'IN' },
          // Nothing left owed: the receipt is complete and its lease ends.
          UpdateExpression: 'SET #owed = :remaining, #completedAt = :now, #leaseUntil = :null',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#owed': 'owed', '#completedAt': 'completedAt', '#leaseUntil': 'leaseUntil' },
          ExpressionAttributeValues: { ':remaining': [], ':now': '2025-03-03T12:00:03.000Z', ':null': null },
        },
      },
    ]);
  });

  it('leaves completedAt alone while mail is still owed, and the receipt out when there is none', async () => {
    documents.on(TransactWriteCommand).resolves({});
    const remaining = [anOwedMail(1000, 3)];

    await store.recordSentMail({
      ticketNumber: 1000,
      messages: sent.slice(0, 1),
      receiptKey: 'ses-1',
      remaining: remaining,
    });
    await store.recordSentMail({ ticketNumber: 1000, messages: sent.slice(0, 1), receiptKey: null, remaining: [] });
    await store.recordSentMail({ ticketNumber: 1000, messages: [], receiptKey: null, remaining: [] });

    const calls = documents.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems ?? []);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.[2]?.Update).toMatchObject({
      UpdateExpression: 'SET #owed = :remaining',
      ExpressionAttributeNames: { '#owed': 'owed' },
      ExpressionAttributeValues: { ':remaining': remaining },
    });
    expect(calls[1]?.map((item) => item.Put?.Item?.['entity'] ?? item.Update?.Key?.['sk'])).toEqual([
      'message',
      'messageId',
    ]);
  });

  it.each([
    [
      'the second message is already stored',
      ['None', 'None', 'ConditionalCheckFailed', 'None', 'None'],
      'store.duplicateMessage',
      { sequence: 3 },
    ],
    [
      'a Message-ID belongs to another ticket',
      ['None', 'ConditionalCheckFailed', 'None', 'None', 'None'],
      'store.duplicateMessageId',
      { messageId: '<s2@email.amazonses.com>' },
    ],
    [
      'the receipt is missing',
      ['None', 'None', 'None', 'None', 'ConditionalCheckFailed'],
      'store.receiptNotFound',
      { receiptKey: 'ses-1' },
    ],
    [
      'the receipt would grow past 400 KB',
      [
        'None',
        'None',
        'None',
        'None',
        { Code: 'ValidationError', Message: 'Item size to update has exceeded the maximum allowed size' },
      ],
      'store.itemTooLarge',
      { part: 'receipt', receiptKey: 'ses-1' },
    ],
  ])('fails with the right code when %s', async (_, reasons, code, details) => {
    documents.on(TransactWriteCommand).rejects(cancelled(...reasons));

    const error = await failure(
      store.recordSentMail({ ticketNumber: 1000, messages: sent, receiptKey: 'ses-1', remaining: [] }),
    );

    expect(error).toMatchObject({ code, details: { operation: 'recordSentMail', ticketNumber: 1000, ...details } });
  });

  it('fails at once with store.contention when the recording was cancelled only for contention: the kernel tries again', async () => {
    // One way to retry: settleOwedEffects tries the recording RECORD_SENT_MAIL_ATTEMPTS times, the store once.
    const conflict = cancelled('None', 'None', 'None', 'None', 'TransactionConflict');
    documents.on(TransactWriteCommand).rejects(conflict);

    expect(
      await failure(store.recordSentMail({ ticketNumber: 1000, messages: sent, receiptKey: 'ses-1', remaining: [] })),
    ).toMatchObject({ code: 'store.contention', cause: conflict });
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});

describe('items over 400 KB', () => {
  it.each([
    ['Item size has exceeded the maximum allowed size'],
    ['Item size to update has exceeded the maximum allowed size'],
    [
      'ExpressionAttributeValues contains invalid value: Item size has exceeded the maximum allowed size for key :remaining',
    ],
  ])('turn the ValidationException "%s" into store.itemTooLarge, keeping the cause', async (message) => {
    const rejection = validation(message);
    documents.on(PutCommand).rejects(rejection).on(TransactWriteCommand).rejects(rejection);

    expect(await failure(store.recordReceipt(aReceipt({ key: 'ses-1' })))).toMatchObject({
      code: 'store.itemTooLarge',
      cause: rejection,
      details: { receiptKey: 'ses-1' },
    });
    expect(await failure(store.saveCustomer(aCustomer('ana@example.com')))).toMatchObject({
      code: 'store.itemTooLarge',
    });
    expect(await failure(store.createTicket({ ticket: aTicket(1000), firstMessage: aMessage(1000, 1) }))).toMatchObject(
      { code: 'store.itemTooLarge', details: { operation: 'createTicket' } },
    );
  });

  it('leave any other ValidationException as it came', async () => {
    const rejection = validation('One or more parameter values were invalid: Missing the key pk in the item');
    documents.on(PutCommand).rejects(rejection).on(TransactWriteCommand).rejects(rejection);

    expect(
      await failure(
        store.quarantineMail({
          receipt: aReceipt({ key: 'q', outcome: 'quarantined' }),
          record: { key: 'q', reason: 'inbound.virus', rawKey: null, at: '2025-03-03T12:00:00.000Z', details: {} },
        }),
      ),
    ).toBe(rejection);
    expect(await failure(store.createTicket({ ticket: aTicket(1000), firstMessage: aMessage(1000, 1) }))).toBe(
      rejection,
    );
  });
});
