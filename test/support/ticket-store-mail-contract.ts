import { describe, expect, it } from 'vitest';
import type { OwedMail, TicketStore } from '../../lib/application/ports/ticket-store.ts';
import type { Ticket } from '../../lib/domain/ticket/ticket.ts';
import {
  aCustomer,
  aMessage,
  anOutboundMessage,
  anOutgoingMail,
  anOwedMail,
  aReceipt,
  aRequester,
  aTicket,
} from './ticket-fixtures.ts';

export interface ContractOptions {
  /**
   * The names of the requests a store has sent so far (DynamoDB: `QueryCommand`, …). Ingest's
   * budget is counted in requests, so where a store sends them the contract counts them;
   * a store that sends none (the in-memory twin) leaves this out and those checks pass over it.
   */
  readonly requestsOf?: (store: TicketStore) => readonly string[];
}

const rejectionCode = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof Error && 'code' in error ? error.code : error),
  );

/** Text that makes any item over DynamoDB's 400 KB. */
const oversized = 'x'.repeat(450 * 1024);

/**
 * What the inbound-mail use case needs from a store within its budget of four requests per
 * message: combined reads (requester overview, reply context), the customer written with the
 * ticket, mail owed on the receipt, and recording mail once sent. Run by ticketStoreContract.
 */
export const ticketStoreMailContract = (
  freshStore: () => Promise<TicketStore>,
  options: ContractOptions = {},
): void => {
  /** What `action` sent, or null for a store that sends no requests. */
  const requestsDuring = async <T>(
    store: TicketStore,
    action: () => Promise<T>,
  ): Promise<{ result: T; requests: readonly string[] | null }> => {
    const before = options.requestsOf?.(store).length ?? 0;
    const result = await action();
    return { result, requests: options.requestsOf?.(store).slice(before) ?? null };
  };
  const expectRequests = (requests: readonly string[] | null, expected: readonly string[]): void => {
    if (requests !== null) expect(requests).toEqual(expected);
  };

  const stored = async (store: TicketStore, overrides: Partial<Ticket> = {}) => {
    const number = await store.allocateTicketNumber();
    const message = aMessage(number, 1);
    const ticket = await store.createTicket({ ticket: aTicket(number, overrides), firstMessage: message });
    return { number, ticket, message };
  };

  /** A ticket created from mail, its receipt owing an acknowledgement and an agent notification. */
  const createdWithMailOwed = async (store: TicketStore) => {
    const number = await store.allocateTicketNumber();
    const owed: OwedMail[] = [
      anOwedMail(number, 2),
      anOwedMail(number, 3, {
        purpose: 'agent-new-ticket',
        author: 'agent',
        mail: anOutgoingMail({ to: [{ address: 'agents@support.example' }] }),
      }),
    ];
    const receipt = aReceipt({ ticketNumber: number, owed });
    const ticket = await store.createTicket({ ticket: aTicket(number), firstMessage: aMessage(number, 1), receipt });
    return { number, ticket, receipt, owed };
  };

  describe("the requester's customer record and open tickets", () => {
    it("answers a requester's customer record and open tickets with one Query", async () => {
      const store = await freshStore();
      const requester = aRequester();
      const customer = aCustomer(requester, { plan: 'platinum' });
      await store.saveCustomer(customer);
      const older = await stored(store, { requester, updatedAt: '2025-03-01T10:00:00.000Z' });
      const newer = await stored(store, {
        requester,
        status: 'waiting-on-customer',
        updatedAt: '2025-03-02T10:00:00.000Z',
      });
      await stored(store, { requester, status: 'closed', updatedAt: '2025-03-04T10:00:00.000Z' });
      await stored(store, { requester, status: 'resolved' });
      await stored(store, { requester: aRequester() });

      const { result, requests } = await requestsDuring(store, () => store.requesterOverview(requester.toUpperCase()));

      expect(result).toEqual({ customer, openTickets: [newer.ticket, older.ticket] });
      expectRequests(requests, ['QueryCommand']);
    });

    it("keeps the customer record out of the requester's open tickets", async () => {
      const store = await freshStore();
      const requester = aRequester();
      await store.saveCustomer(aCustomer(requester));
      const open = await stored(store, { requester });

      expect(await store.openTicketsOfRequester(requester)).toEqual([open.ticket]);
    });

    it('answers no customer for a requester known only by their domain, and nothing for a stranger', async () => {
      const store = await freshStore();
      const requester = aRequester();
      await store.saveCustomer(aCustomer(requester.split('@')[1] ?? ''));

      expect(await store.requesterOverview(requester)).toEqual({ customer: null, openTickets: [] });
    });
  });

  describe("a reply's context", () => {
    it("finds a reply's ticket and its sender's customer record with one BatchGetItem", async () => {
      const store = await freshStore();
      const older = await stored(store);
      const newer = await stored(store);
      const customer = aCustomer(aRequester());
      await store.saveCustomer(customer);
      const bare = (newer.message.messageId ?? '').replace(/^<|>$/g, '');

      const { result, requests } = await requestsDuring(store, () =>
        store.replyContext({
          messageIds: ['<unknown@example.com>', bare, older.message.messageId ?? ''],
          customerKey: customer.key.toUpperCase(),
        }),
      );

      expect(result).toEqual({ ticketNumber: newer.number, customer });
      expectRequests(requests, ['BatchGetItemCommand']);
    });

    it('answers the customer alone when no id is known, and neither for a stranger without ids', async () => {
      const store = await freshStore();
      const customer = aCustomer(aRequester());
      await store.saveCustomer(customer);

      expect(await store.replyContext({ messageIds: ['<unknown@example.com>'], customerKey: customer.key })).toEqual({
        ticketNumber: null,
        customer,
      });
      const { result, requests } = await requestsDuring(store, () =>
        store.replyContext({ messageIds: [], customerKey: aRequester() }),
      );
      expect(result).toEqual({ ticketNumber: null, customer: null });
      expectRequests(requests, ['BatchGetItemCommand']);
    });
  });

  describe('the customer written with the ticket', () => {
    it('stores the customer with the ticket in one transaction', async () => {
      const store = await freshStore();
      const number = await store.allocateTicketNumber();
      const customer = aCustomer(aRequester(), { lastAcknowledgedAt: '2025-03-03T12:00:02.000Z' });

      const { result: created, requests } = await requestsDuring(store, () =>
        store.createTicket({
          ticket: aTicket(number, { requester: customer.key }),
          firstMessage: aMessage(number, 1),
          receipt: aReceipt({ ticketNumber: number }),
          customer,
        }),
      );

      expectRequests(requests, ['TransactWriteItemsCommand']);
      expect(await store.getCustomer(customer.key)).toEqual(customer);
      expect(await store.requesterOverview(customer.key)).toEqual({ customer, openTickets: [created] });
    });

    it('replaces the customer with the one a message brings (last write wins)', async () => {
      const store = await freshStore();
      const requester = aRequester();
      const { number, ticket } = await stored(store, { requester });
      await store.saveCustomer(aCustomer(requester));
      const updated = aCustomer(requester, {
        lastConductNoticeAt: '2025-03-03T13:00:00.000Z',
        updatedAt: '2025-03-03T13:00:00.000Z',
      });

      await store.addMessage({
        ticket: { ...ticket, messageCount: 2 },
        expectedVersion: ticket.version,
        message: aMessage(number, 2),
        customer: updated,
      });

      expect(await store.getCustomer(requester)).toEqual(updated);
    });

    it("writes no customer when the ticket's transaction fails", async () => {
      const store = await freshStore();
      const receipt = aReceipt();
      await store.recordReceipt(receipt);
      const number = await store.allocateTicketNumber();
      const customer = aCustomer(aRequester());

      const code = await rejectionCode(
        store.createTicket({ ticket: aTicket(number), firstMessage: aMessage(number, 1), receipt, customer }),
      );

      expect(code).toBe('store.duplicateReceipt');
      expect(await store.getCustomer(customer.key)).toBeNull();
    });
  });

  describe('mail owed on a receipt', () => {
    it('keeps the mail a receipt still owes as it was given, and a receipt without any as owing nothing', async () => {
      const store = await freshStore();
      const { receipt } = await createdWithMailOwed(store);
      const plain = aReceipt({ outcome: 'ignored' });
      await store.recordReceipt(plain);

      expect(await store.getReceipt(receipt.key)).toEqual(receipt);
      expect(await store.getReceipt(plain.key)).toEqual({ ...plain, owed: [], completedAt: null });
    });

    it('refuses an item over 400 KB with store.itemTooLarge and writes none of the transaction', async () => {
      const store = await freshStore();
      const number = await store.allocateTicketNumber();
      const receipt = aReceipt({
        ticketNumber: number,
        owed: [anOwedMail(number, 2, { mail: anOutgoingMail({ text: oversized }) })],
      });

      expect(
        await rejectionCode(
          store.createTicket({ ticket: aTicket(number), firstMessage: aMessage(number, 1), receipt }),
        ),
      ).toBe('store.itemTooLarge');
      expect(await rejectionCode(store.recordReceipt(receipt))).toBe('store.itemTooLarge');
      expect(await store.getTicket(number)).toBeNull();
      expect(await store.getReceipt(receipt.key)).toBeNull();
    });
  });

  describe('recording sent mail', () => {
    it("records sent mail, its Message-IDs and the receipt's completion together", async () => {
      const store = await freshStore();
      const { number, ticket, receipt } = await createdWithMailOwed(store);
      const sent = [
        anOutboundMessage(number, 2),
        anOutboundMessage(number, 3, { author: 'agent', to: ['agents@support.example'] }),
      ];
      const before = Date.now();

      const { requests } = await requestsDuring(store, () =>
        store.recordSentMail({ ticketNumber: number, messages: sent, receiptKey: receipt.key, remaining: [] }),
      );

      expectRequests(requests, ['TransactWriteItemsCommand']);
      expect((await store.listMessages(number)).map((message) => [message.sequence, message.direction])).toEqual([
        [1, 'inbound'],
        [2, 'outbound'],
        [3, 'outbound'],
      ]);
      expect(await store.ticketForMessageIds([sent[1]?.messageId ?? ''])).toBe(number);
      // The ticket reserved these sequences when the mail was decided on: recording them leaves it as it was.
      expect(await store.getTicket(number)).toEqual(ticket);
      const settled = await store.getReceipt(receipt.key);
      expect(settled).toMatchObject({ owed: [], completedAt: expect.any(String) });
      expect(Date.parse(settled?.completedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    });

    it('keeps the receipt open while mail is still owed', async () => {
      const store = await freshStore();
      const { number, receipt, owed } = await createdWithMailOwed(store);

      await store.recordSentMail({
        ticketNumber: number,
        messages: [anOutboundMessage(number, 2)],
        receiptKey: receipt.key,
        remaining: owed.slice(1),
      });

      expect(await store.getReceipt(receipt.key)).toEqual({
        ...receipt,
        owed: owed.slice(1),
        completedAt: null,
      });
    });

    it('refuses to record the same sent mail twice with store.duplicateMessage and changes nothing', async () => {
      const store = await freshStore();
      const { number, receipt, owed } = await createdWithMailOwed(store);
      const sent = anOutboundMessage(number, 2);
      await store.recordSentMail({
        ticketNumber: number,
        messages: [sent],
        receiptKey: receipt.key,
        remaining: owed.slice(1),
      });
      const ticket = await store.getTicket(number);

      // A retry after a lost answer: same message, and by now nothing left to send.
      const code = await rejectionCode(
        store.recordSentMail({ ticketNumber: number, messages: [sent], receiptKey: receipt.key, remaining: [] }),
      );

      expect(code).toBe('store.duplicateMessage');
      expect(await store.getTicket(number)).toEqual(ticket);
      expect(await store.listMessages(number)).toHaveLength(2);
      expect(await store.getReceipt(receipt.key)).toEqual({
        ...receipt,
        owed: owed.slice(1),
        completedAt: null,
      });
    });

    it('accepts a Message-ID already linked to the ticket, and refuses one linked to another ticket with store.duplicateMessageId', async () => {
      const store = await freshStore();
      const { number, receipt } = await createdWithMailOwed(store);
      const other = await stored(store);
      const linkedHere = anOutboundMessage(number, 2);
      await store.linkMessageId(linkedHere.messageId ?? '', number);
      const linkedElsewhere = anOutboundMessage(number, 3);
      await store.linkMessageId(linkedElsewhere.messageId ?? '', other.number);

      const code = await rejectionCode(
        store.recordSentMail({
          ticketNumber: number,
          messages: [linkedHere, linkedElsewhere],
          receiptKey: receipt.key,
          remaining: [],
        }),
      );
      await store.recordSentMail({ ticketNumber: number, messages: [linkedHere], receiptKey: null, remaining: [] });

      expect(code).toBe('store.duplicateMessageId');
      expect((await store.listMessages(number)).map((message) => message.sequence)).toEqual([1, 2]);
      expect(await store.getReceipt(receipt.key)).toMatchObject({ completedAt: null });
      expect(await store.ticketForMessageIds([linkedElsewhere.messageId ?? ''])).toBe(other.number);
    });

    it('refuses to settle a receipt that does not exist, writing nothing, with store.receiptNotFound', async () => {
      const store = await freshStore();
      const { number } = await stored(store);
      const sent = anOutboundMessage(number, 2);

      expect(
        await rejectionCode(
          store.recordSentMail({
            ticketNumber: number,
            messages: [sent],
            receiptKey: 'ses-never-seen',
            remaining: [],
          }),
        ),
      ).toBe('store.receiptNotFound');
      expect(await store.listMessages(number)).toHaveLength(1);
      expect(await store.ticketForMessageIds([sent.messageId ?? ''])).toBeNull();
      expect(await store.getReceipt('ses-never-seen')).toBeNull();
    });

    it('refuses remaining mail that would make the receipt larger than 400 KB with store.itemTooLarge, recording nothing', async () => {
      const store = await freshStore();
      const { number, receipt } = await createdWithMailOwed(store);
      const half = anOutgoingMail({ text: 'x'.repeat(250 * 1024) });

      const code = await rejectionCode(
        store.recordSentMail({
          ticketNumber: number,
          messages: [anOutboundMessage(number, 2)],
          receiptKey: receipt.key,
          remaining: [anOwedMail(number, 3, { mail: half }), anOwedMail(number, 4, { mail: half })],
        }),
      );

      expect(code).toBe('store.itemTooLarge');
      expect(await store.listMessages(number)).toHaveLength(1);
      expect(await store.getReceipt(receipt.key)).toEqual(receipt);
    });
  });
};
