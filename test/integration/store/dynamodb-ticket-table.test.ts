import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import {
  customerKey,
  messageIdKey,
  messageKey,
  receiptKey,
  type TableKey,
  ticketKey,
} from '../../../lib/adapters/dynamodb/ticket-table-keys.ts';
import { type TestTicketTable, testTicketTables } from '../../support/dynamodb-test-table.ts';
import {
  aCustomer,
  aMessage,
  anOutgoingMail,
  anOwedMail,
  aReceipt,
  aRequester,
  aTicket,
} from '../../support/ticket-fixtures.ts';

// What only the DynamoDB store can show: the items and requests themselves. Behaviour shared with the
// in-memory twin is in dynamodb-ticket-store.test.ts (the contract).
const tables = testTicketTables();
afterAll(() => tables.dropAll());

const rawItem = async ({ client, tableName }: TestTicketTable, key: TableKey) =>
  (
    await DynamoDBDocumentClient.from(client).send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    )
  ).Item;

describe('the ticket table on DynamoDB Local', () => {
  it('writes a new ticket as four items in a single TransactWriteItems', async () => {
    const table = await tables.create();
    const number = await table.store.allocateTicketNumber();
    const message = aMessage(number, 1);
    const receipt = aReceipt({ ticketNumber: number });
    table.commands.length = 0;

    await table.store.createTicket({ ticket: aTicket(number), firstMessage: message, receipt });

    expect(table.commands.map((command) => command.name)).toEqual(['TransactWriteItemsCommand']);
    const items = await Promise.all(
      [
        ticketKey(number),
        messageKey(number, message.at, 1),
        messageIdKey(message.messageId ?? ''),
        receiptKey(receipt.key),
      ].map((key) => rawItem(table, key)),
    );
    expect(items.map((item) => item?.['entity'])).toEqual(['ticket', 'message', 'messageId', 'receipt']);
  });

  it('writes none of the four items when one condition fails', async () => {
    const table = await tables.create();
    const receipt = aReceipt();
    await table.store.recordReceipt(receipt);
    const number = await table.store.allocateTicketNumber();
    const message = aMessage(number, 1);

    await expect(
      table.store.createTicket({ ticket: aTicket(number), firstMessage: message, receipt }),
    ).rejects.toMatchObject({ code: 'store.duplicateReceipt' });

    const items = await Promise.all(
      [ticketKey(number), messageKey(number, message.at, 1), messageIdKey(message.messageId ?? '')].map((key) =>
        rawItem(table, key),
      ),
    );
    expect(items).toEqual([undefined, undefined, undefined]);
  });

  it("answers the requester's open tickets with a Query on the requester index, never a Scan", async () => {
    const table = await tables.create();
    const requester = aRequester();
    const open = await table.store.allocateTicketNumber();
    await table.store.createTicket({ ticket: aTicket(open, { requester }), firstMessage: aMessage(open, 1) });
    const closed = await table.store.allocateTicketNumber();
    await table.store.createTicket({
      ticket: aTicket(closed, { requester, status: 'closed' }),
      firstMessage: aMessage(closed, 1),
    });
    table.commands.length = 0;

    const tickets = await table.store.openTicketsOfRequester(requester);

    expect(tickets.map((ticket) => ticket.number)).toEqual([open]);
    expect(table.commands).toEqual([
      {
        name: 'QueryCommand',
        input: expect.objectContaining({
          IndexName: 'byRequester',
          KeyConditionExpression: 'requesterPk = :requester AND begins_with(requesterSk, :open)',
        }),
      },
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
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: { pk: { S: key.pk }, sk: { S: key.sk }, entity: { S: 'customer' }, plan: { N: '3' } },
      }),
    );

    await expect(table.store.getCustomer('broken.example')).rejects.toMatchObject({
      code: 'store.invalidItem',
      details: { entity: 'customer' },
    });
  });

  it("puts an address's customer record in the requester index between closed and open tickets, and not a domain's", async () => {
    const table = await tables.create();
    const requester = aRequester();
    await table.store.saveCustomer(aCustomer(requester.toUpperCase()));
    await table.store.saveCustomer(aCustomer('example.net'));

    expect(await rawItem(table, customerKey(requester))).toMatchObject({
      requesterPk: `REQ#${requester}`,
      requesterSk: 'CUSTOMER',
    });
    const domain = await rawItem(table, customerKey('example.net'));
    expect(domain).not.toHaveProperty('requesterPk');
    expect(domain).not.toHaveProperty('requesterSk');
    // What requesterOverview's key condition rests on.
    expect(['OPEN#2025', 'CUSTOMER', 'CLOSED#2025'].sort()).toEqual(['CLOSED#2025', 'CUSTOMER', 'OPEN#2025']);
  });

  it('pages a requester overview past the 1 MB a Query returns at once', async () => {
    const table = await tables.create();
    const requester = aRequester();
    const customer = aCustomer(requester);
    await table.store.saveCustomer(customer);
    // 14 tickets of ~90 KB: about 1.26 MB, two pages.
    const subject = 'y'.repeat(90 * 1024);
    for (let index = 0; index < 14; index += 1) {
      const number = await table.store.allocateTicketNumber();
      await table.store.createTicket({
        ticket: aTicket(number, {
          requester,
          subject,
          updatedAt: `2025-03-${String(index + 1).padStart(2, '0')}T10:00:00.000Z`,
        }),
        firstMessage: aMessage(number, 1),
      });
    }
    table.commands.length = 0;

    const overview = await table.store.requesterOverview(requester);

    expect(overview.customer).toEqual(customer);
    expect(overview.openTickets).toHaveLength(14);
    expect(overview.openTickets.map((ticket) => ticket.updatedAt)).toEqual(
      [...overview.openTickets.map((ticket) => ticket.updatedAt)].sort().reverse(),
    );
    expect(table.commands.map((command) => command.name)).toEqual(['QueryCommand', 'QueryCommand']);
  });

  it("looks up a reply's context for more Message-IDs than a BatchGetItem takes, the customer in the first batch", async () => {
    const table = await tables.create();
    const customer = aCustomer(aRequester());
    await table.store.saveCustomer(customer);
    const number = await table.store.allocateTicketNumber();
    const message = aMessage(number, 1);
    await table.store.createTicket({ ticket: aTicket(number), firstMessage: message });
    const unknown = Array.from({ length: 150 }, () => `<${randomUUID()}@example.com>`);
    table.commands.length = 0;

    const context = await table.store.replyContext({
      messageIds: [...unknown, message.messageId ?? ''],
      customerKey: customer.key,
    });

    expect(context).toEqual({ ticketNumber: number, customer });
    expect(table.commands.map((command) => command.name)).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand']);
    const firstKeys =
      (table.commands[0]?.input as { RequestItems: Record<string, { Keys: TableKey[] }> } | undefined)?.RequestItems[
        table.tableName
      ]?.Keys ?? [];
    expect(firstKeys).toHaveLength(100);
    expect(firstKeys[0]).toEqual(customerKey(customer.key));
  });

  it('reads a receipt stored before mail was owed on receipts as owing nothing, not yet completed', async () => {
    const table = await tables.create();
    const key = receiptKey('ses-old');
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: {
          pk: { S: key.pk },
          sk: { S: key.sk },
          entity: { S: 'receipt' },
          key: { S: 'ses-old' },
          at: { S: '2025-01-01T00:00:00.000Z' },
          outcome: { S: 'created' },
          ticketNumber: { N: '1000' },
        },
      }),
    );

    expect(await table.store.getReceipt('ses-old')).toEqual({
      key: 'ses-old',
      at: '2025-01-01T00:00:00.000Z',
      outcome: 'created',
      ticketNumber: 1000,
      owed: [],
      completedAt: null,
      // Its first attempt's lease, as receipts had before leases were stored.
      leaseUntil: '2025-01-01T00:02:00.000Z',
    });
  });

  it('stores pending mail without the optional fields left undefined, and refuses malformed pending mail as store.invalidItem', async () => {
    const table = await tables.create();
    const receipt = aReceipt({
      owed: [anOwedMail(1000, 2, { mail: anOutgoingMail({ replyTo: undefined, html: undefined }) })],
    });
    await table.store.recordReceipt(receipt);
    const key = receiptKey(receipt.key);

    const mail = ((await rawItem(table, key))?.['owed'] as { mail: Record<string, unknown> }[] | undefined)?.[0]?.mail;
    expect(Object.keys(mail ?? {})).not.toContain('replyTo');
    await DynamoDBDocumentClient.from(table.client).send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: key,
        UpdateExpression: 'SET owed[0].mail.#to = :broken',
        ExpressionAttributeNames: { '#to': 'to' },
        ExpressionAttributeValues: { ':broken': 'ana@example.com' },
      }),
    );
    await expect(table.store.getReceipt(receipt.key)).rejects.toMatchObject({
      code: 'store.invalidItem',
      details: { entity: 'receipt' },
    });
  });

  it("turns DynamoDB's own refusal of an item over 400 KB into store.itemTooLarge: a put, a put in a transaction, an update in a transaction", async () => {
    const table = await tables.create();
    const number = await table.store.allocateTicketNumber();
    const big = anOutgoingMail({ text: 'z'.repeat(250 * 1024) });
    const receipt = aReceipt({ ticketNumber: number, owed: [anOwedMail(number, 2, { mail: big })] });
    await table.store.createTicket({ ticket: aTicket(number), firstMessage: aMessage(number, 1), receipt });

    await expect(
      table.store.saveCustomer(aCustomer(aRequester(), { plan: 'p'.repeat(410 * 1024) })),
    ).rejects.toMatchObject({ code: 'store.itemTooLarge' });
    await expect(
      table.store.addMessage({
        ticket: aTicket(number),
        expectedVersion: 1,
        message: aMessage(number, 2, { text: 'm'.repeat(410 * 1024) }),
      }),
    ).rejects.toMatchObject({ code: 'store.itemTooLarge' });
    // SET replaces the pending mail: only a value over the limit by itself makes the receipt too large.
    await expect(
      table.store.recordSentMail({
        ticketNumber: number,
        messages: [],
        receiptKey: receipt.key,
        remaining: [anOwedMail(number, 2, { mail: big }), anOwedMail(number, 3, { mail: big })],
      }),
    ).rejects.toMatchObject({ code: 'store.itemTooLarge' });
  });
});
