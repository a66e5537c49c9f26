import type { Clock } from '../../application/ports/clock.ts';
import {
  type AddMessageInput,
  type CreateTicketInput,
  type Customer,
  type CustomerListingOptions,
  FIRST_TICKET_NUMBER,
  type InboundReceipt,
  type ListingOptions,
  normalizeAddress,
  normalizeMessageId,
  type QuarantineMailInput,
  type QuarantineRecord,
  type ReceiptLease,
  type RecordSentMailInput,
  type ReplyContext,
  type ReplyContextQuery,
  type RequesterOverview,
  STORED_ITEM_LIMIT_BYTES,
  type ThreadClaim,
  type TicketStore,
} from '../../application/ports/ticket-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { isOpenStatus, type Ticket, type TicketMessage } from '../../domain/ticket/ticket.ts';

/** As DynamoDB's TransactWriteItems (the DynamoDB store refuses more the same way). */
const TRANSACTION_ITEM_LIMIT = 100;

const byTime = (a: string, b: string): number => Date.parse(a) - Date.parse(b);
const newestFirst = (a: { updatedAt: string; number: number }, b: { updatedAt: string; number: number }): number =>
  byTime(b.updatedAt, a.updatedAt) || b.number - a.number;

/** A message's identity, as its DynamoDB key has it: the instant (whatever its shape) and the sequence. */
const sameSlot = (a: TicketMessage, b: TicketMessage): boolean =>
  Date.parse(a.at) === Date.parse(b.at) && a.sequence === b.sequence;

/**
 * DynamoDB counts an item's attribute names and values; the JSON text of the object is close
 * enough (a little over, for quotes and braces) to fail where DynamoDB would for anything but
 * an item within a few bytes of the limit.
 */
const checkSize = (what: string, value: unknown, details: Record<string, unknown>): void => {
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > STORED_ITEM_LIMIT_BYTES) {
    throw new AtendeError('store.itemTooLarge', `A ${what} is larger than the store keeps (400 KB)`, {
      details: { ...details, part: what, bytes },
    });
  }
};

export interface InMemoryTicketStoreOptions {
  /** Stamps a receipt's completedAt (recordSentMail); the system clock when absent. */
  readonly clock?: Clock;
}

/**
 * The ticket store in memory, for use-case tests: the same conditions, the same
 * error codes and the same all-or-nothing writes as the DynamoDB store
 * (every check runs before anything is written). Values are copied in and out,
 * as they would be through the wire.
 */
export class InMemoryTicketStore implements TicketStore {
  private counter = FIRST_TICKET_NUMBER - 1;
  private readonly tickets = new Map<number, Ticket>();
  private readonly messages = new Map<number, TicketMessage[]>();
  private readonly messageIds = new Map<string, number>();
  private readonly receipts = new Map<string, InboundReceipt>();
  private readonly customers = new Map<string, Customer>();
  private readonly quarantine = new Map<string, QuarantineRecord>();
  private readonly threadClaims = new Map<string, ThreadClaim>();
  private readonly clock: Clock;

  constructor(options: InMemoryTicketStoreOptions = {}) {
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  async allocateTicketNumber(): Promise<number> {
    this.counter += 1;
    return this.counter;
  }

  async createTicket({ ticket, firstMessage, receipt, customer, threadClaims }: CreateTicketInput): Promise<Ticket> {
    const stored: Ticket = { ...ticket, version: 1 };
    this.checkSizes('createTicket', stored, firstMessage, receipt, customer);
    this.checkMessageWrites('createTicket', stored, firstMessage, receipt, null);
    this.checkThreadClaims('createTicket', ticket.number, threadClaims);
    if (this.tickets.has(ticket.number)) {
      throw new AtendeError('store.ticketExists', `Ticket ${ticket.number} already exists`, {
        details: { operation: 'createTicket', ticketNumber: ticket.number },
      });
    }
    this.tickets.set(stored.number, structuredClone(stored));
    this.applyMessageWrites(stored, firstMessage, receipt, customer, threadClaims);
    return structuredClone(stored);
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
    this.checkSizes('addMessage', stored, message, receipt, customer);
    this.checkMessageWrites('addMessage', stored, message, receipt, expectedVersion);
    this.checkThreadClaims('addMessage', ticket.number, threadClaims);
    this.checkVersion(ticket.number, expectedVersion, 'addMessage');
    this.tickets.set(stored.number, structuredClone(stored));
    this.applyMessageWrites(stored, message, receipt, customer, threadClaims);
    return structuredClone(stored);
  }

  async recordSentMail({ ticketNumber, messages, receiptKey, remaining }: RecordSentMailInput): Promise<void> {
    // DynamoDB's order: the size of what is put (checked with the request), then conditions in the order of
    // precedence of ticket-transaction.ts (message, Message-ID, ticket, receipt), then the size the receipt grows to.
    const details = { operation: 'recordSentMail', ticketNumber };
    const items =
      messages.length + messages.filter((message) => message.messageId !== null).length + (receiptKey === null ? 0 : 1);
    if (items > TRANSACTION_ITEM_LIMIT)
      throw new Error(`A ticket transaction cannot hold more than ${TRANSACTION_ITEM_LIMIT} items`);
    for (const message of messages) {
      if (message.ticketNumber !== ticketNumber)
        throw new Error(`Message for ticket ${message.ticketNumber} written with ticket ${ticketNumber}`);
      checkSize('message', message, { ...details, sequence: message.sequence });
    }
    if (messages.length > 0 && ticketNumber === null)
      throw new Error('Messages of settled mail need the ticket they belong to');
    const stored = ticketNumber === null ? [] : (this.messages.get(ticketNumber) ?? []);
    for (const message of messages) {
      if (stored.some((other) => sameSlot(other, message))) {
        throw new AtendeError(
          'store.duplicateMessage',
          `Message ${message.sequence} of ticket ${ticketNumber} is already stored`,
          { details: { ...details, sequence: message.sequence, at: message.at } },
        );
      }
    }
    for (const { messageId } of messages) {
      const linked = messageId === null ? undefined : this.messageIds.get(normalizeMessageId(messageId));
      if (linked !== undefined && linked !== ticketNumber) {
        throw new AtendeError(
          'store.duplicateMessageId',
          `Message-ID ${messageId ?? ''} already belongs to another ticket`,
          { details: { ...details, messageId } },
        );
      }
    }
    const receipt = receiptKey === null ? undefined : this.receipts.get(receiptKey);
    if (receiptKey !== null && receipt === undefined) {
      throw new AtendeError('store.receiptNotFound', `Inbound event ${receiptKey} has no receipt to settle`, {
        details: { ...details, receiptKey },
      });
    }
    const settled: InboundReceipt | undefined =
      receipt === undefined
        ? undefined
        : {
            ...receipt,
            owed: remaining,
            completedAt: remaining.length === 0 ? new Date(this.clock.now()).toISOString() : receipt.completedAt,
            leaseUntil: remaining.length === 0 ? null : receipt.leaseUntil,
          };
    if (settled !== undefined) checkSize('receipt', settled, { ...details, receiptKey });

    // The ticket item is not touched: its messageCount already reserved these sequences.
    if (ticketNumber !== null && messages.length > 0)
      this.messages.set(ticketNumber, [...stored, ...structuredClone(messages)]);
    for (const { messageId } of messages)
      if (messageId !== null && ticketNumber !== null) this.messageIds.set(normalizeMessageId(messageId), ticketNumber);
    if (settled !== undefined) this.receipts.set(settled.key, structuredClone(settled));
  }

  async saveTicket(ticket: Ticket, expectedVersion: number): Promise<Ticket> {
    const stored: Ticket = { ...ticket, version: expectedVersion + 1 };
    checkSize('ticket', stored, { operation: 'saveTicket', ticketNumber: ticket.number });
    this.checkVersion(ticket.number, expectedVersion, null);
    this.tickets.set(stored.number, structuredClone(stored));
    return structuredClone(stored);
  }

  async getTicket(number: number): Promise<Ticket | null> {
    const ticket = this.tickets.get(number);
    return ticket === undefined ? null : structuredClone(ticket);
  }

  async listMessages(number: number): Promise<TicketMessage[]> {
    const messages = this.messages.get(number) ?? [];
    return structuredClone(messages).sort((a, b) => byTime(a.at, b.at) || a.sequence - b.sequence);
  }

  async ticketForMessageIds(messageIds: readonly string[]): Promise<number | null> {
    for (const id of messageIds) {
      const ticketNumber = this.messageIds.get(normalizeMessageId(id));
      if (ticketNumber !== undefined) return ticketNumber;
    }
    return null;
  }

  async replyContext({ messageIds, customerKey }: ReplyContextQuery): Promise<ReplyContext> {
    return { ticketNumber: await this.ticketForMessageIds(messageIds), customer: await this.getCustomer(customerKey) };
  }

  async linkMessageId(messageId: string, ticketNumber: number): Promise<void> {
    const linked = this.messageIds.get(normalizeMessageId(messageId));
    if (linked !== undefined && linked !== ticketNumber) {
      throw new AtendeError('store.duplicateMessageId', `Message-ID ${messageId} already belongs to another ticket`, {
        details: { messageId, ticketNumber },
      });
    }
    this.messageIds.set(normalizeMessageId(messageId), ticketNumber);
  }

  async openTicketsOfRequester(address: string): Promise<Ticket[]> {
    const requester = normalizeAddress(address);
    return [...this.tickets.values()]
      .filter((ticket) => normalizeAddress(ticket.requester) === requester && isOpenStatus(ticket.status))
      .sort(newestFirst)
      .map((ticket) => structuredClone(ticket));
  }

  async requesterOverview(address: string): Promise<RequesterOverview> {
    // As the requester index: only a customer keyed by an address is a requester's (a domain's record is not).
    const customer = address.includes('@') ? await this.getCustomer(address) : null;
    return { customer, openTickets: await this.openTicketsOfRequester(address) };
  }

  async ticketsOfQueue(queue: string, options: ListingOptions = {}): Promise<Ticket[]> {
    return [...this.tickets.values()]
      .filter((ticket) => ticket.queue === queue)
      .sort(newestFirst)
      .slice(0, options.limit)
      .map((ticket) => structuredClone(ticket));
  }

  async recordReceipt(receipt: InboundReceipt): Promise<void> {
    checkSize('receipt', receipt, { operation: 'recordReceipt', receiptKey: receipt.key });
    if (this.receipts.has(receipt.key)) {
      throw new AtendeError('store.duplicateReceipt', `Inbound event ${receipt.key} was already processed`, {
        details: { receiptKey: receipt.key },
      });
    }
    this.receipts.set(receipt.key, structuredClone(receipt));
  }

  async leaseReceipt({ key, now, until }: ReceiptLease): Promise<{ receipt: InboundReceipt; leased: boolean }> {
    const receipt = this.receipts.get(key);
    if (receipt === undefined) {
      throw new AtendeError('store.receiptNotFound', `Inbound event ${key} has no receipt to lease`, {
        details: { receiptKey: key },
      });
    }
    const held = receipt.leaseUntil !== null && Date.parse(receipt.leaseUntil) >= Date.parse(now);
    if (receipt.owed.length === 0 || held) return { receipt: structuredClone(receipt), leased: false };
    const leased: InboundReceipt = { ...receipt, leaseUntil: until };
    this.receipts.set(key, structuredClone(leased));
    return { receipt: structuredClone(leased), leased: true };
  }

  async releaseReceiptLease(key: string): Promise<void> {
    const receipt = this.receipts.get(key);
    if (receipt !== undefined) this.receipts.set(key, { ...receipt, leaseUntil: null });
  }

  async quarantineMail({ receipt, record, customer }: QuarantineMailInput): Promise<void> {
    checkSize('receipt', receipt, { operation: 'quarantineMail', receiptKey: receipt.key });
    checkSize('quarantine', record, { operation: 'quarantineMail', quarantineKey: record.key });
    if (this.receipts.has(receipt.key)) {
      throw new AtendeError('store.duplicateReceipt', `Inbound event ${receipt.key} was already processed`, {
        details: { operation: 'quarantineMail', receiptKey: receipt.key },
      });
    }
    this.receipts.set(receipt.key, structuredClone(receipt));
    this.quarantine.set(record.key, structuredClone(record));
    if (customer !== undefined) this.customers.set(normalizeAddress(customer.key), structuredClone(customer));
  }

  async getReceipt(key: string): Promise<InboundReceipt | null> {
    const receipt = this.receipts.get(key);
    return receipt === undefined ? null : structuredClone(receipt);
  }

  async getCustomer(key: string): Promise<Customer | null> {
    const customer = this.customers.get(normalizeAddress(key));
    return customer === undefined ? null : structuredClone(customer);
  }

  async saveCustomer(customer: Customer): Promise<void> {
    checkSize('customer', customer, { operation: 'saveCustomer', customerKey: customer.key });
    this.customers.set(normalizeAddress(customer.key), structuredClone(customer));
  }

  async listCustomers(options: CustomerListingOptions = {}): Promise<Customer[]> {
    // As the listing index: active before suspended, then by key in code-unit order (DynamoDB's byte order for ASCII).
    const order = (customer: Customer) => `${customer.suspended ? 1 : 0}#${normalizeAddress(customer.key)}`;
    return [...this.customers.values()]
      .filter((customer) => !options.suspended || customer.suspended)
      .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
      .slice(0, options.limit)
      .map((customer) => structuredClone(customer));
  }

  async listQuarantine(options: ListingOptions = {}): Promise<QuarantineRecord[]> {
    return [...this.quarantine.values()]
      .sort((a, b) => byTime(b.at, a.at) || (a.key < b.key ? 1 : -1))
      .slice(0, options.limit)
      .map((record) => structuredClone(record));
  }

  /** In the DynamoDB store's order of precedence: receipt, then Message-ID (see ticket-transaction.ts). */
  private checkMessageWrites(
    operation: string,
    ticket: Ticket,
    message: TicketMessage | null,
    receipt: InboundReceipt | undefined,
    expectedVersion: number | null,
  ): void {
    if (message !== null && message.ticketNumber !== ticket.number) {
      throw new Error(`Message for ticket ${message.ticketNumber} written with ticket ${ticket.number}`);
    }
    const details = {
      operation,
      ticketNumber: ticket.number,
      ...(expectedVersion === null ? {} : { expectedVersion }),
    };
    if (receipt !== undefined && this.receipts.has(receipt.key)) {
      throw new AtendeError('store.duplicateReceipt', `Inbound event ${receipt.key} was already processed`, {
        details: { ...details, receiptKey: receipt.key },
      });
    }
    const identity = message === null ? null : (message.messageId ?? message.contentKey);
    if (identity !== null && this.messageIds.has(normalizeMessageId(identity))) {
      throw new AtendeError('store.duplicateMessageId', `Message-ID ${identity} is already stored`, {
        details: { ...details, messageId: identity },
      });
    }
  }

  /** As the DynamoDB store: a live claim of another ticket fails the write, naming the ticket. */
  private checkThreadClaims(operation: string, ticketNumber: number, claims: readonly ThreadClaim[] | undefined): void {
    const held = (claims ?? []).flatMap((claim) => {
      const existing = this.threadClaims.get(claim.key);
      const live =
        existing !== undefined &&
        existing.ticketNumber !== ticketNumber &&
        Date.parse(existing.expiresAt) >= Date.parse(claim.claimedAt);
      return live ? [{ key: existing.key, ticketNumber: existing.ticketNumber }] : [];
    });
    if (held.length > 0) {
      throw new AtendeError(
        'store.threadClaimed',
        `The thread is being opened as ticket ${held.map((claim) => claim.ticketNumber).join(', ')}`,
        { details: { operation, ticketNumber, claims: held } },
      );
    }
  }

  private checkVersion(number: number, expectedVersion: number, operation: string | null): void {
    const details = { ...(operation === null ? {} : { operation }), ticketNumber: number, expectedVersion };
    const current = this.tickets.get(number);
    if (current === undefined)
      throw new AtendeError('store.ticketNotFound', `Ticket ${number} does not exist`, { details });
    if (current.version !== expectedVersion) {
      throw new AtendeError('store.versionConflict', `Ticket ${number} changed since version ${expectedVersion}`, {
        details,
      });
    }
  }

  private checkSizes(
    operation: string,
    ticket: Ticket,
    message: TicketMessage | null,
    receipt: InboundReceipt | undefined,
    customer: Customer | undefined,
  ): void {
    const details = { operation, ticketNumber: ticket.number };
    checkSize('ticket', ticket, details);
    if (message !== null) checkSize('message', message, { ...details, sequence: message.sequence });
    if (receipt !== undefined) checkSize('receipt', receipt, { ...details, receiptKey: receipt.key });
    if (customer !== undefined) checkSize('customer', customer, { ...details, customerKey: customer.key });
  }

  private applyMessageWrites(
    ticket: Ticket,
    message: TicketMessage | null,
    receipt: InboundReceipt | undefined,
    customer: Customer | undefined,
    threadClaims: readonly ThreadClaim[] | undefined,
  ): void {
    for (const claim of threadClaims ?? []) this.threadClaims.set(claim.key, structuredClone(claim));
    if (message !== null) {
      // Same (time, sequence) is the same item in DynamoDB: a put replaces it.
      const messages = (this.messages.get(ticket.number) ?? []).filter((other) => !sameSlot(other, message));
      messages.push(structuredClone(message));
      this.messages.set(ticket.number, messages);
      const identity = message.messageId ?? message.contentKey;
      if (identity !== null) this.messageIds.set(normalizeMessageId(identity), ticket.number);
    }
    if (receipt !== undefined) this.receipts.set(receipt.key, structuredClone(receipt));
    if (customer !== undefined) this.customers.set(normalizeAddress(customer.key), structuredClone(customer));
  }
}
