import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TicketStore } from '../../lib/application/ports/ticket-store.ts';
import type { Ticket } from '../../lib/domain/ticket/ticket.ts';
import {
  aCustomer,
  aMessage,
  anOwedMail,
  aQuarantineRecord,
  aReceipt,
  aRequester,
  aTicket,
} from './ticket-fixtures.ts';
import { type ContractOptions, ticketStoreMailContract } from './ticket-store-mail-contract.ts';

export type { ContractOptions };

const rejectionCode = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof Error && 'code' in error ? error.code : error),
  );

/**
 * What every TicketStore does, whatever it stores in: run against the DynamoDB store
 * (on DynamoDB Local) and the in-memory twin. `freshStore` returns an empty store.
 * What ingest needs on top (combined reads, mail owed and sent) is in ticket-store-mail-contract.ts, run from here.
 */
export const ticketStoreContract = (freshStore: () => Promise<TicketStore>, options: ContractOptions = {}): void => {
  /** A stored ticket with its first message, as ingest would leave it. */
  const stored = async (store: TicketStore, overrides: Partial<Ticket> = {}) => {
    const number = await store.allocateTicketNumber();
    const message = aMessage(number, 1);
    const ticket = await store.createTicket({ ticket: aTicket(number, overrides), firstMessage: message });
    return { number, ticket, message };
  };

  describe('ticket numbers', () => {
    it('hands out ticket numbers from 1000 upwards', async () => {
      const store = await freshStore();

      const numbers = [
        await store.allocateTicketNumber(),
        await store.allocateTicketNumber(),
        await store.allocateTicketNumber(),
      ];

      expect(numbers).toEqual([1000, 1001, 1002]);
    });

    it('gives 50 concurrent creations 50 distinct ticket numbers and 50 tickets', async () => {
      const store = await freshStore();
      const queue = `queue-${randomUUID()}`;

      const numbers = await Promise.all(
        Array.from({ length: 50 }, async () => {
          const number = await store.allocateTicketNumber();
          await store.createTicket({
            ticket: aTicket(number, { queue }),
            firstMessage: aMessage(number, 1),
            receipt: aReceipt({ ticketNumber: number }),
          });
          return number;
        }),
      );

      expect(new Set(numbers).size).toBe(50);
      const tickets = await store.ticketsOfQueue(queue);
      expect(tickets.map((ticket) => ticket.number).sort()).toEqual([...numbers].sort());
    });
  });

  describe('creating a ticket', () => {
    it('stores the ticket, its first message, its Message-ID link and the receipt together', async () => {
      const store = await freshStore();
      const number = await store.allocateTicketNumber();
      const message = aMessage(number, 1);
      const receipt = aReceipt({ ticketNumber: number });

      const created = await store.createTicket({
        ticket: aTicket(number, { version: 0 }),
        firstMessage: message,
        receipt,
      });

      expect(created.version).toBe(1);
      expect(await store.getTicket(number)).toEqual(created);
      expect(await store.listMessages(number)).toEqual([message]);
      expect(await store.ticketForMessageIds([message.messageId ?? ''])).toBe(number);
      expect(await store.getReceipt(receipt.key)).toEqual(receipt);
    });

    it('stores a web-form ticket whose message has no Message-ID', async () => {
      const store = await freshStore();
      const number = await store.allocateTicketNumber();
      const message = aMessage(number, 1, { messageId: null });

      await store.createTicket({ ticket: aTicket(number, { channel: 'web' }), firstMessage: message });

      expect(await store.listMessages(number)).toEqual([message]);
    });

    it('writes none of its items when the receipt was already recorded', async () => {
      const store = await freshStore();
      const receipt = aReceipt();
      await store.recordReceipt(receipt);
      const number = await store.allocateTicketNumber();
      const message = aMessage(number, 1);

      const code = await rejectionCode(store.createTicket({ ticket: aTicket(number), firstMessage: message, receipt }));

      expect(code).toBe('store.duplicateReceipt');
      expect(await store.getTicket(number)).toBeNull();
      expect(await store.listMessages(number)).toEqual([]);
      expect(await store.ticketForMessageIds([message.messageId ?? ''])).toBeNull();
    });

    it('writes none of its items when the Message-ID is already stored', async () => {
      const store = await freshStore();
      const first = await stored(store);
      const number = await store.allocateTicketNumber();
      const receipt = aReceipt();

      const code = await rejectionCode(
        store.createTicket({
          ticket: aTicket(number),
          firstMessage: aMessage(number, 1, { messageId: first.message.messageId }),
          receipt,
        }),
      );

      expect(code).toBe('store.duplicateMessageId');
      expect(await store.getTicket(number)).toBeNull();
      expect(await store.getReceipt(receipt.key)).toBeNull();
      expect(await store.ticketForMessageIds([first.message.messageId ?? ''])).toBe(first.number);
    });

    it('reports the receipt when a redelivered event repeats both its receipt and its Message-ID', async () => {
      const store = await freshStore();
      const number = await store.allocateTicketNumber();
      const message = aMessage(number, 1);
      const receipt = aReceipt();
      await store.createTicket({ ticket: aTicket(number), firstMessage: message, receipt });
      const again = await store.allocateTicketNumber();

      const code = await rejectionCode(
        store.createTicket({ ticket: aTicket(again), firstMessage: { ...message, ticketNumber: again }, receipt }),
      );

      expect(code).toBe('store.duplicateReceipt');
    });

    it('refuses a ticket number that is already taken', async () => {
      const store = await freshStore();
      const first = await stored(store);

      const code = await rejectionCode(
        store.createTicket({
          ticket: aTicket(first.number, { subject: 'other' }),
          firstMessage: aMessage(first.number, 1),
        }),
      );

      expect(code).toBe('store.ticketExists');
      expect((await store.getTicket(first.number))?.subject).toBe(first.ticket.subject);
    });
  });

  describe('inbound receipts', () => {
    it('rejects a second write of the same inbound receipt with store.duplicateReceipt', async () => {
      const store = await freshStore();
      const receipt = aReceipt({ outcome: 'quarantined' });
      await store.recordReceipt(receipt);

      const code = await rejectionCode(store.recordReceipt({ ...receipt, at: '2025-03-03T13:00:00.000Z' }));

      expect(code).toBe('store.duplicateReceipt');
      expect(await store.getReceipt(receipt.key)).toEqual(receipt);
    });

    it("keeps the fingerprint of a receipt's event, so a web-form key reused with other words is told apart", async () => {
      const store = await freshStore();
      const receipt = aReceipt({ key: 'web:form-key-1', fingerprint: 'sha256:0f1e' });

      await store.recordReceipt(receipt);

      expect(await store.getReceipt(receipt.key)).toEqual(receipt);
    });

    it('knows no receipt it was never given', async () => {
      const store = await freshStore();

      expect(await store.getReceipt('ses-never-seen')).toBeNull();
    });

    it('ends the lease of an attempt known to have died, so the next one may take it at once', async () => {
      const store = await freshStore();
      const owed = [anOwedMail(1000, 2)];
      const receipt = aReceipt({ owed, leaseUntil: '2025-03-03T12:02:01.000Z' });
      await store.recordReceipt(receipt);
      const lease = { key: receipt.key, now: '2025-03-03T12:00:30.000Z', until: '2025-03-03T12:02:30.000Z' };
      expect(await store.leaseReceipt(lease)).toMatchObject({ leased: false });

      await store.releaseReceiptLease(receipt.key);

      expect(await store.getReceipt(receipt.key)).toEqual({ ...receipt, leaseUntil: null });
      expect(await store.leaseReceipt(lease)).toEqual({
        receipt: { ...receipt, leaseUntil: lease.until },
        leased: true,
      });
    });

    it('releases nothing, and creates nothing, for a receipt it never had', async () => {
      const store = await freshStore();

      await store.releaseReceiptLease('ses-never-seen');

      expect(await store.getReceipt('ses-never-seen')).toBeNull();
    });
  });

  describe('adding a message', () => {
    it('stores the ticket at the next version with the message, its Message-ID link and the receipt', async () => {
      const store = await freshStore();
      const { number, ticket } = await stored(store);
      const reply = aMessage(number, 2, { at: '2025-03-03T13:00:00.000Z' });
      const receipt = aReceipt({ outcome: 'threaded', ticketNumber: number });

      const saved = await store.addMessage({
        ticket: { ...ticket, messageCount: 2, status: 'open' },
        expectedVersion: ticket.version,
        message: reply,
        receipt,
      });

      expect(saved.version).toBe(ticket.version + 1);
      expect(await store.getTicket(number)).toEqual(saved);
      expect((await store.listMessages(number)).map((message) => message.sequence)).toEqual([1, 2]);
      expect(await store.ticketForMessageIds([reply.messageId ?? ''])).toBe(number);
      expect(await store.getReceipt(receipt.key)).toEqual(receipt);
    });

    it("keeps a held follow-up's mark and the window that holds it", async () => {
      const store = await freshStore();
      const { number, ticket } = await stored(store);
      const window = { until: '2025-03-03T12:40:00.000Z', held: [2] };
      const followUp = aMessage(number, 2, { at: '2025-03-03T12:10:00.000Z', heldUntil: window.until });

      await store.addMessage({
        ticket: { ...ticket, messageCount: 2, followUpWindow: window },
        expectedVersion: ticket.version,
        message: followUp,
        receipt: aReceipt({ outcome: 'threaded', ticketNumber: number }),
      });

      expect((await store.getTicket(number))!.followUpWindow).toEqual(window);
      expect((await store.listMessages(number)).at(-1)).toEqual(followUp);
    });

    it('rejects a stale version with store.versionConflict and writes nothing', async () => {
      const store = await freshStore();
      const { number, ticket } = await stored(store);
      await store.saveTicket({ ...ticket, status: 'open' }, ticket.version);
      const reply = aMessage(number, 2);
      const receipt = aReceipt();

      const code = await rejectionCode(
        store.addMessage({
          ticket: { ...ticket, messageCount: 2 },
          expectedVersion: ticket.version,
          message: reply,
          receipt,
        }),
      );

      expect(code).toBe('store.versionConflict');
      expect(await store.listMessages(number)).toHaveLength(1);
      expect(await store.getReceipt(receipt.key)).toBeNull();
      expect(await store.ticketForMessageIds([reply.messageId ?? ''])).toBeNull();
    });

    it('rejects a message for a ticket that does not exist with store.ticketNotFound', async () => {
      const store = await freshStore();

      const code = await rejectionCode(
        store.addMessage({ ticket: aTicket(4242), expectedVersion: 1, message: aMessage(4242, 2) }),
      );

      expect(code).toBe('store.ticketNotFound');
    });

    it('returns messages in time order, whatever the order and shape of their timestamps', async () => {
      const store = await freshStore();
      const { number } = await stored(store);
      // Eleven messages in one second: sequence 10 must sort after 9, and a time without milliseconds before one with.
      for (let sequence = 2; sequence <= 11; sequence += 1) {
        const current = await store.getTicket(number);
        if (current === null) throw new Error('ticket vanished');
        const at = sequence === 2 ? '2025-03-03T12:00:05Z' : '2025-03-03T12:00:05.500Z';
        await store.addMessage({
          ticket: { ...current, messageCount: sequence },
          expectedVersion: current.version,
          message: aMessage(number, sequence, { at }),
        });
      }

      const messages = await store.listMessages(number);

      expect(messages.map((message) => message.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    });
  });

  describe('saving a ticket', () => {
    it('stores the next version when nobody wrote in between', async () => {
      const store = await freshStore();
      const { number, ticket } = await stored(store);

      const saved = await store.saveTicket({ ...ticket, status: 'in-progress' }, ticket.version);

      expect(saved).toMatchObject({ status: 'in-progress', version: ticket.version + 1 });
      expect(await store.getTicket(number)).toEqual(saved);
    });

    it('keeps the assignee, and reads a ticket stored unassigned as unassigned', async () => {
      const store = await freshStore();
      const { number, ticket } = await stored(store);
      expect((await store.getTicket(number))!.assignee).toBeNull();

      await store.saveTicket({ ...ticket, assignee: 'dario@example.com' }, ticket.version);

      expect((await store.getTicket(number))!.assignee).toBe('dario@example.com');
    });

    it('rejects a stale version with store.versionConflict', async () => {
      const store = await freshStore();
      const { ticket } = await stored(store);
      await store.saveTicket({ ...ticket, priority: 'high' }, ticket.version);

      const code = await rejectionCode(store.saveTicket({ ...ticket, status: 'closed' }, ticket.version));

      expect(code).toBe('store.versionConflict');
    });

    it('rejects a ticket that does not exist with store.ticketNotFound', async () => {
      const store = await freshStore();

      expect(await rejectionCode(store.saveTicket(aTicket(4243), 1))).toBe('store.ticketNotFound');
    });

    it('lets only one of two concurrent writes of the same version land; the other conflicts', async () => {
      const store = await freshStore();
      const { number, ticket } = await stored(store);

      const outcomes = await Promise.all([
        rejectionCode(store.saveTicket({ ...ticket, priority: 'urgent' }, ticket.version)),
        rejectionCode(store.saveTicket({ ...ticket, flags: ['shouting'] }, ticket.version)),
      ]);

      expect(outcomes.filter((outcome) => outcome === 'resolved')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'store.versionConflict')).toHaveLength(1);
      expect((await store.getTicket(number))?.version).toBe(2);
    });
  });

  describe('threading by Message-ID', () => {
    it('finds the ticket of the first known id, in the order given, with or without angle brackets', async () => {
      const store = await freshStore();
      const older = await stored(store);
      const newer = await stored(store);
      const bare = (newer.message.messageId ?? '').replace(/^<|>$/g, '');

      const found = await store.ticketForMessageIds(['<unknown@example.com>', bare, older.message.messageId ?? '']);

      expect(found).toBe(newer.number);
    });

    it('finds nothing for ids it never stored, nor for an empty list', async () => {
      const store = await freshStore();

      expect(await store.ticketForMessageIds(['<nobody@example.com>'])).toBeNull();
      expect(await store.ticketForMessageIds([])).toBeNull();
    });

    it('links an outbound Message-ID once, accepts the same link again, and refuses it for another ticket', async () => {
      const store = await freshStore();
      const { number } = await stored(store);
      const other = await stored(store);
      const sesId = `${randomUUID()}@email.amazonses.com`;

      await store.linkMessageId(sesId, number);
      await store.linkMessageId(`<${sesId}>`, number);
      const code = await rejectionCode(store.linkMessageId(sesId, other.number));

      expect(code).toBe('store.duplicateMessageId');
      expect(await store.ticketForMessageIds([`<${sesId}>`])).toBe(number);
    });
  });

  describe("the requester's open tickets", () => {
    it("lists open tickets, most recently updated first, without closed or resolved ones or other requesters' tickets", async () => {
      const store = await freshStore();
      const requester = aRequester();
      const older = await stored(store, { requester, updatedAt: '2025-03-01T10:00:00.000Z' });
      const newer = await stored(store, {
        requester,
        status: 'waiting-on-customer',
        updatedAt: '2025-03-02T10:00:00.000Z',
      });
      const closing = await stored(store, { requester, updatedAt: '2025-03-02T11:00:00.000Z' });
      await store.saveTicket(
        {
          ...closing.ticket,
          status: 'closed',
          closedAt: '2025-03-03T10:00:00.000Z',
          updatedAt: '2025-03-03T10:00:00.000Z',
        },
        closing.ticket.version,
      );
      await stored(store, { requester, status: 'resolved' });
      await stored(store, { requester: aRequester() });

      const open = await store.openTicketsOfRequester(requester.toUpperCase());

      expect(open.map((ticket) => ticket.number)).toEqual([newer.number, older.number]);
    });
  });

  describe("a queue's tickets", () => {
    it('lists them most recently updated first, up to a limit', async () => {
      const store = await freshStore();
      const queue = `queue-${randomUUID()}`;
      const first = await stored(store, { queue, updatedAt: '2025-03-01T10:00:00.000Z' });
      const second = await stored(store, { queue, updatedAt: '2025-03-02T10:00:00.000Z' });
      const third = await stored(store, { queue, updatedAt: '2025-03-03T10:00:00.000Z' });
      await stored(store, { queue: `${queue}-other` });

      expect((await store.ticketsOfQueue(queue)).map((ticket) => ticket.number)).toEqual([
        third.number,
        second.number,
        first.number,
      ]);
      expect((await store.ticketsOfQueue(queue, { limit: 2 })).map((ticket) => ticket.number)).toEqual([
        third.number,
        second.number,
      ]);
    });
  });

  describe('customers', () => {
    it('stores a customer by address or domain and finds it whatever the case', async () => {
      const store = await freshStore();
      const customer = aCustomer('example.org', { suspended: true, suspendedAt: '2025-03-01T00:00:00.000Z' });

      await store.saveCustomer(customer);
      await store.saveCustomer({ ...customer, lastAcknowledgedAt: '2025-03-03T12:00:00.000Z' });

      expect(await store.getCustomer('Example.ORG')).toEqual({
        ...customer,
        lastAcknowledgedAt: '2025-03-03T12:00:00.000Z',
      });
      expect(await store.getCustomer('someone@example.org')).toBeNull();
    });

    it('lists every customer, active ones first and suspended ones after, each by key', async () => {
      const store = await freshStore();
      const suspendedAt = '2025-03-01T00:00:00.000Z';
      await store.saveCustomer(aCustomer('zoe@example.org'));
      await store.saveCustomer(aCustomer('mallory@example.org', { suspended: true, suspendedAt }));
      await store.saveCustomer(aCustomer('example.net'));
      await store.saveCustomer(aCustomer('eve@example.org', { suspended: true, suspendedAt }));

      const listed = await store.listCustomers();

      expect(listed.map((customer) => customer.key)).toEqual([
        'example.net',
        'zoe@example.org',
        'eve@example.org',
        'mallory@example.org',
      ]);
      expect(listed[2]).toEqual(aCustomer('eve@example.org', { suspended: true, suspendedAt }));
      expect((await store.listCustomers({ limit: 1 })).map((customer) => customer.key)).toEqual(['example.net']);
    });

    it('lists only the suspended customers when asked, following a suspension and its lifting', async () => {
      const store = await freshStore();
      const ana = aCustomer('ana@example.org');
      await store.saveCustomer(ana);
      await store.saveCustomer(aCustomer('bob@example.org'));

      await store.saveCustomer({ ...ana, suspended: true, suspendedAt: '2025-03-01T00:00:00.000Z' });
      const suspended = await store.listCustomers({ suspended: true });
      await store.saveCustomer({ ...ana, suspended: false, suspendedAt: null });
      const afterLifting = await store.listCustomers({ suspended: true });

      expect(suspended.map((customer) => customer.key)).toEqual(['ana@example.org']);
      expect(afterLifting).toEqual([]);
      expect((await store.listCustomers()).map((customer) => customer.key)).toEqual([
        'ana@example.org',
        'bob@example.org',
      ]);
    });

    it('lists a customer written with a new ticket like one saved on its own', async () => {
      const store = await freshStore();
      const number = await store.allocateTicketNumber();
      const customer = aCustomer(aRequester(), { suspended: false });

      await store.createTicket({ ticket: aTicket(number), firstMessage: aMessage(number, 1), customer });

      expect(await store.listCustomers()).toEqual([customer]);
    });
  });

  describe('quarantine', () => {
    it('keeps one record per key and lists them most recent first', async () => {
      const store = await freshStore();
      const older = aQuarantineRecord({ at: '2025-03-01T10:00:00.000Z' });
      const newer = aQuarantineRecord({
        at: '2025-03-02T10:00:00.000Z',
        reason: 'inbound.virus',
        rawKey: null,
        details: {},
      });

      await store.quarantineMail({ receipt: aReceipt({ key: older.key, outcome: 'quarantined' }), record: older });
      await store.quarantineMail({ receipt: aReceipt({ key: newer.key, outcome: 'quarantined' }), record: newer });

      expect(await store.listQuarantine()).toEqual([newer, older]);
      expect(await store.listQuarantine({ limit: 1 })).toEqual([newer]);
    });

    it('writes the receipt and the record together, and refuses the same event twice without writing', async () => {
      const store = await freshStore();
      const record = aQuarantineRecord();
      const receipt = aReceipt({ key: record.key, outcome: 'quarantined', completedAt: record.at });
      const customer = aCustomer('ana@example.com', { lastAcknowledgedAt: record.at });

      await store.quarantineMail({ receipt, record, customer });

      expect(await store.getReceipt(record.key)).toEqual(receipt);
      expect(await store.getCustomer('ana@example.com')).toEqual(customer);
      expect(
        await rejectionCode(store.quarantineMail({ receipt, record: { ...record, reason: 'inbound.other' } })),
      ).toBe('store.duplicateReceipt');
      expect((await store.listQuarantine()).map((kept) => kept.reason)).toEqual([record.reason]);
    });
  });

  ticketStoreMailContract(freshStore, options);
};
