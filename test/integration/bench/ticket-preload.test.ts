import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedTicket, preloadTickets } from '../../../bench/ticket-preload.ts';
import { type TestTicketTable, testTicketTables } from '../../support/dynamodb-test-table.ts';
import { aMessage, anOutboundMessage, aReceipt, aTicket } from '../../support/ticket-fixtures.ts';

/**
 * The inbound-function bench's table preload: copies of one opened ticket, written with the
 * store's item mapping, must read back through the store as the tickets the function writes do,
 * and push the ticket counter past them.
 */
const tables = testTicketTables();
let table: TestTicketTable;
const template: OpenedTicket = {
  ticket: aTicket(1000),
  messages: [aMessage(1000, 1), anOutboundMessage(1000, 2)],
  receipt: aReceipt({ key: 'ses-template', ticketNumber: 1000, completedAt: '2025-03-03T12:00:03.000Z' }),
};
const NOW = Date.parse('2026-12-04T12:00:00.000Z');

beforeAll(async () => {
  table = await tables.create();
});
afterAll(() => tables.dropAll());

describe('preloadTickets', () => {
  it('writes tickets the store reads back, each with its messages, Message-ID links and receipt', async () => {
    const written = await preloadTickets(table.client, table.tableName, template, {
      count: 60,
      requesterPool: 15,
      seed: 7,
      now: NOW,
    });

    expect(written.map(({ number }) => number)).toEqual(Array.from({ length: 60 }, (_, index) => 1000 + index));
    const last = written.at(-1)!;
    const ticket = await table.store.getTicket(last.number);
    expect(ticket).toMatchObject({ number: last.number, requester: last.requester, status: last.status });
    expect(Date.parse(ticket!.createdAt)).toBeLessThan(NOW);
    const messages = await table.store.listMessages(last.number);
    expect(messages.map((message) => [message.ticketNumber, message.purpose])).toEqual([
      [last.number, 'customer-message'],
      [last.number, 'acknowledgement'],
    ]);
    expect(await table.store.ticketForMessageIds([last.acknowledgementId!])).toBe(last.number);
    expect(await table.store.getReceipt(`preload-${last.number}`)).toMatchObject({ ticketNumber: last.number });
  });

  it('gives requesters several tickets, the open ones found by the requester index', async () => {
    const written = await preloadTickets(table.client, table.tableName, template, {
      count: 40,
      requesterPool: 10,
      seed: 8,
      now: NOW,
    });

    const requesters = new Set(written.map(({ requester }) => requester));
    expect(requesters.size).toBeLessThan(written.length);
    const [someone] = requesters;
    const open = written.filter(
      ({ requester, status }) => requester === someone && status !== 'closed' && status !== 'resolved',
    );
    const found = await table.store.openTicketsOfRequester(someone!);
    expect(
      found
        .map(({ number }) => number)
        .filter((number) => number >= written[0]!.number)
        .sort(),
    ).toEqual(open.map(({ number }) => number).sort());
  });

  it('numbers after what the table holds and moves the counter past its tickets', async () => {
    const before = await table.store.allocateTicketNumber();

    const written = await preloadTickets(table.client, table.tableName, template, {
      count: 5,
      requesterPool: 2,
      seed: 9,
      now: NOW,
    });

    expect(written[0]!.number).toBe(before + 1);
    expect(await table.store.allocateTicketNumber()).toBe(before + 6);
  });
});
