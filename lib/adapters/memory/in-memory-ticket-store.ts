import {
  FIRST_TICKET_NUMBER,
  normalizeAddress,
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
import { isOpenStatus, type Ticket, type TicketMessage } from '../../domain/ticket/ticket.ts';

const byTime = (a: string, b: string): number => Date.parse(a) - Date.parse(b);
const newestFirst = (a: { updatedAt: string; number: number }, b: { updatedAt: string; number: number }): number =>
  byTime(b.updatedAt, a.updatedAt) || b.number - a.number;

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

  async allocateTicketNumber(): Promise<number> {
    this.counter += 1;
    return this.counter;
  }

  async createTicket({ ticket, firstMessage, receipt }: CreateTicketInput): Promise<Ticket> {
    const stored: Ticket = { ...ticket, version: 1 };
    this.checkMessageWrites('createTicket', stored, firstMessage, receipt, null);
    if (this.tickets.has(ticket.number)) {
      throw new AtendeError('store.ticketExists', `Ticket ${ticket.number} already exists`, { details: { operation: 'createTicket', ticketNumber: ticket.number } });
    }
    this.tickets.set(stored.number, structuredClone(stored));
    this.applyMessageWrites(stored, firstMessage, receipt);
    return structuredClone(stored);
  }

  async addMessage({ ticket, expectedVersion, message, receipt }: AddMessageInput): Promise<Ticket> {
    const stored: Ticket = { ...ticket, version: expectedVersion + 1 };
    this.checkMessageWrites('addMessage', stored, message, receipt, expectedVersion);
    this.checkVersion(ticket.number, expectedVersion, 'addMessage');
    this.tickets.set(stored.number, structuredClone(stored));
    this.applyMessageWrites(stored, message, receipt);
    return structuredClone(stored);
  }

  async saveTicket(ticket: Ticket, expectedVersion: number): Promise<Ticket> {
    this.checkVersion(ticket.number, expectedVersion, null);
    const stored: Ticket = { ...ticket, version: expectedVersion + 1 };
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

  async linkMessageId(messageId: string, ticketNumber: number): Promise<void> {
    const linked = this.messageIds.get(normalizeMessageId(messageId));
    if (linked !== undefined && linked !== ticketNumber) {
      throw new AtendeError('store.duplicateMessageId', `Message-ID ${messageId} already belongs to another ticket`, { details: { messageId, ticketNumber } });
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

  async ticketsOfQueue(queue: string, options: ListingOptions = {}): Promise<Ticket[]> {
    return [...this.tickets.values()]
      .filter((ticket) => ticket.queue === queue)
      .sort(newestFirst)
      .slice(0, options.limit)
      .map((ticket) => structuredClone(ticket));
  }

  async recordReceipt(receipt: InboundReceipt): Promise<void> {
    if (this.receipts.has(receipt.key)) {
      throw new AtendeError('store.duplicateReceipt', `Inbound event ${receipt.key} was already processed`, { details: { receiptKey: receipt.key } });
    }
    this.receipts.set(receipt.key, structuredClone(receipt));
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
    this.customers.set(normalizeAddress(customer.key), structuredClone(customer));
  }

  async putQuarantine(record: QuarantineRecord): Promise<void> {
    this.quarantine.set(record.key, structuredClone(record));
  }

  async listQuarantine(options: ListingOptions = {}): Promise<QuarantineRecord[]> {
    return [...this.quarantine.values()]
      .sort((a, b) => byTime(b.at, a.at) || (a.key < b.key ? 1 : -1))
      .slice(0, options.limit)
      .map((record) => structuredClone(record));
  }

  /** In the DynamoDB store's order of precedence: receipt, then Message-ID (see ticket-transaction.ts). */
  private checkMessageWrites(operation: string, ticket: Ticket, message: TicketMessage, receipt: InboundReceipt | undefined, expectedVersion: number | null): void {
    if (message.ticketNumber !== ticket.number) {
      throw new Error(`Message for ticket ${message.ticketNumber} written with ticket ${ticket.number}`);
    }
    const details = { operation, ticketNumber: ticket.number, ...(expectedVersion === null ? {} : { expectedVersion }) };
    if (receipt !== undefined && this.receipts.has(receipt.key)) {
      throw new AtendeError('store.duplicateReceipt', `Inbound event ${receipt.key} was already processed`, { details: { ...details, receiptKey: receipt.key } });
    }
    if (message.messageId !== null && this.messageIds.has(normalizeMessageId(message.messageId))) {
      throw new AtendeError('store.duplicateMessageId', `Message-ID ${message.messageId} is already stored`, { details: { ...details, messageId: message.messageId } });
    }
  }

  private checkVersion(number: number, expectedVersion: number, operation: string | null): void {
    const details = { ...(operation === null ? {} : { operation }), ticketNumber: number, expectedVersion };
    const current = this.tickets.get(number);
    if (current === undefined) throw new AtendeError('store.ticketNotFound', `Ticket ${number} does not exist`, { details });
    if (current.version !== expectedVersion) {
      throw new AtendeError('store.versionConflict', `Ticket ${number} changed since version ${expectedVersion}`, { details });
    }
  }

  private applyMessageWrites(ticket: Ticket, message: TicketMessage, receipt: InboundReceipt | undefined): void {
    // Same (time, sequence) is the same item in DynamoDB: a put replaces it.
    const messages = (this.messages.get(ticket.number) ?? []).filter((other) => Date.parse(other.at) !== Date.parse(message.at) || other.sequence !== message.sequence);
    messages.push(structuredClone(message));
    this.messages.set(ticket.number, messages);
    if (message.messageId !== null) this.messageIds.set(normalizeMessageId(message.messageId), ticket.number);
    if (receipt !== undefined) this.receipts.set(receipt.key, structuredClone(receipt));
  }
}
