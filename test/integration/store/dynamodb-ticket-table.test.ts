import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { customerKey, messageIdKey, messageKey, receiptKey, ticketKey, type TableKey } from '../../../lib/adapters/dynamodb/ticket-table-keys.ts';
import { testTicketTables, type TestTicketTable } from '../../support/dynamodb-test-table.ts';
import { aMessage, aReceipt, aRequester, aTicket } from '../../support/ticket-fixtures.ts';

// What only the DynamoDB store can show: the items and requests themselves. Behaviour shared with the
// in-memory twin is in dynamodb-ticket-store.test.ts (the contract).
const tables = testTicketTables();
afterAll(() => tables.dropAll());

const rawItem = async ({ client, tableName }: TestTicketTable, key: TableKey) =>
  (await DynamoDBDocumentClient.from(client).send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

describe('the ticket table on DynamoDB Local', () => {
  it('writes a new ticket as four items in a single TransactWriteItems', async () => {
    const table = await tables.create();
    const number = await table.store.allocateTicketNumber();
    const message = aMessage(number, 1);
    const receipt = aReceipt({ ticketNumber: number });
    table.commands.length = 0;

    await table.store.createTicket({ ticket: aTicket(number), firstMessage: message, receipt });

    expect(table.commands.map((command) => command.name)).toEqual(['TransactWriteItemsCommand']);
    const items = await Promise.all([ticketKey(number), messageKey(number, message.at, 1), messageIdKey(message.messageId ?? ''), receiptKey(receipt.key)].map((key) => rawItem(table, key)));
    expect(items.map((item) => item?.['entity'])).toEqual(['ticket', 'message', 'messageId', 'receipt']);
  });

  it('writes none of the four items when one condition fails', async () => {
    const table = await tables.create();
    const receipt = aReceipt();
    await table.store.recordReceipt(receipt);
    const number = await table.store.allocateTicketNumber();
    const message = aMessage(number, 1);

    await expect(table.store.createTicket({ ticket: aTicket(number), firstMessage: message, receipt })).rejects.toMatchObject({ code: 'store.duplicateReceipt' });

    const items = await Promise.all([ticketKey(number), messageKey(number, message.at, 1), messageIdKey(message.messageId ?? '')].map((key) => rawItem(table, key)));
    expect(items).toEqual([undefined, undefined, undefined]);
  });

  it('answers the requester\'s open tickets with a Query on the requester index, never a Scan', async () => {
    const table = await tables.create();
    const requester = aRequester();
    const open = await table.store.allocateTicketNumber();
    await table.store.createTicket({ ticket: aTicket(open, { requester }), firstMessage: aMessage(open, 1) });
    const closed = await table.store.allocateTicketNumber();
    await table.store.createTicket({ ticket: aTicket(closed, { requester, status: 'closed' }), firstMessage: aMessage(closed, 1) });
    table.commands.length = 0;

    const tickets = await table.store.openTicketsOfRequester(requester);

    expect(tickets.map((ticket) => ticket.number)).toEqual([open]);
    expect(table.commands).toEqual([
      { name: 'QueryCommand', input: expect.objectContaining({ IndexName: 'byRequester', KeyConditionExpression: 'requesterPk = :requester AND begins_with(requesterSk, :open)' }) },
    ]);
  });

  it('looks up many Message-IDs (duplicates, more than a BatchGetItem takes) in batches of 100', async () => {
    const table = await tables.create();
    const number = await table.store.allocateTicketNumber();
    const message = aMessage(number, 1);
    await table.store.createTicket({ ticket: aTicket(number), firstMessage: message });
    const unknown = Array.from({ length: 150 }, () => `<${randomUUID()}@example.com>`);
    table.commands.length = 0;

    const found = await table.store.ticketForMessageIds([...unknown, ...unknown.slice(0, 20), message.messageId ?? '']);

    expect(found).toBe(number);
    expect(table.commands.map((command) => command.name)).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
  });

  it('reports an item of the wrong shape as store.invalidItem instead of returning it', async () => {
    const table = await tables.create();
    const key = customerKey('broken.example');
    await table.client.send(new PutItemCommand({ TableName: table.tableName, Item: { pk: { S: key.pk }, sk: { S: key.sk }, entity: { S: 'customer' }, plan: { N: '3' } } }));

    await expect(table.store.getCustomer('broken.example')).rejects.toMatchObject({ code: 'store.invalidItem', details: { entity: 'customer' } });
  });
});
