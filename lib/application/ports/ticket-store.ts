import type { Customer } from '../../domain/ticket/customer.ts';
import type { Ticket, TicketMessage } from '../../domain/ticket/ticket.ts';

export type { Customer };

/**
 * Message-IDs are matched without their angle brackets and surrounding blanks: In-Reply-To
 * and References carry `<id@host>`, SES returns a bare id, and both must find the same ticket.
 * Case is kept: the part left of `@` is case-sensitive (RFC 5322 §3.6.4 leaves it opaque).
 */
export const normalizeMessageId = (messageId: string): string => messageId.trim().replace(/^<\s*/, '').replace(/\s*>$/, '');

/** Ticket numbers start here: four digits from the first ticket, never mistaken for a count or a year. */
export const FIRST_TICKET_NUMBER = 1000;

/** Addresses and domains are looked up case-insensitively (what people type varies; the mailbox does not). */
export const normalizeAddress = (address: string): string => address.trim().toLowerCase();

/** What became of an inbound event (SES receipt, web-form submission) the first time it was seen. */
export type ReceiptOutcome = 'created' | 'threaded' | 'quarantined' | 'ignored';

/**
 * Proof that an inbound event was processed. Its key is SES's `mail.messageId` for
 * mail, or the form's idempotency key; a redelivered event finds it and stops.
 */
export interface InboundReceipt {
  readonly key: string;
  readonly at: string;
  readonly outcome: ReceiptOutcome;
  /** The ticket the event created or was added to, for replaying the first answer. */
  readonly ticketNumber: number | null;
}

/** Mail that could not be processed; the raw message stays in the raw-mail store. */
export interface QuarantineRecord {
  /** Usually the inbound receipt key, so quarantining the same mail twice keeps one record. */
  readonly key: string;
  /** A stable code, e.g. `inbound.unparsable`, `inbound.virus`. */
  readonly reason: string;
  readonly rawKey: string | null;
  readonly at: string;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

export interface CreateTicketInput {
  readonly ticket: Ticket;
  readonly firstMessage: TicketMessage;
  readonly receipt?: InboundReceipt;
}

export interface AddMessageInput {
  /** The ticket's state after the message (message count, status, updatedAt …). */
  readonly ticket: Ticket;
  /** The version the ticket was read at; the write fails with `store.versionConflict` if it moved on. */
  readonly expectedVersion: number;
  readonly message: TicketMessage;
  readonly receipt?: InboundReceipt;
}

export interface ListingOptions {
  /** At most this many items; all of them when absent. */
  readonly limit?: number;
}

/**
 * Where tickets, their messages and the bookkeeping around them live.
 *
 * Every write that can collide is conditional and fails with an AtendeError:
 * `store.duplicateReceipt`, `store.duplicateMessageId`, `store.versionConflict`,
 * `store.ticketNotFound`, `store.ticketExists`. Several items that must change together
 * change in one transaction: either all of them are written or none.
 *
 * Versions: a created ticket is stored at version 1; every later write stores
 * `expectedVersion + 1`. The ticket a write returns carries the stored version.
 */
export interface TicketStore {
  /** The next human ticket number: FIRST_TICKET_NUMBER (1000), 1001, … (atomic, never handed out twice). */
  allocateTicketNumber(): Promise<number>;

  /** Stores a new ticket, its first message, the message's Message-ID link and the receipt, all or nothing. */
  createTicket(input: CreateTicketInput): Promise<Ticket>;
  /** Adds a message to a ticket and stores the ticket's new state, its Message-ID link and the receipt, all or nothing. */
  addMessage(input: AddMessageInput): Promise<Ticket>;
  /** Stores the ticket's new state if nobody changed it since `expectedVersion`. */
  saveTicket(ticket: Ticket, expectedVersion: number): Promise<Ticket>;

  /** The ticket with this number, or null (strongly consistent read). */
  getTicket(number: number): Promise<Ticket | null>;
  /** The ticket's messages, oldest first. */
  listMessages(number: number): Promise<TicketMessage[]>;

  /** The ticket the first of these Message-IDs (In-Reply-To, then References) belongs to, or null. */
  ticketForMessageIds(messageIds: readonly string[]): Promise<number | null>;
  /** Links a Message-ID (e.g. the id SES gave an outbound mail) to a ticket; linking it again to the same ticket is a no-op. */
  linkMessageId(messageId: string, ticketNumber: number): Promise<void>;

  /** The requester's open tickets (OPEN_STATUSES: not resolved, not closed), most recently updated first (threading by sender, duplicate detection). */
  openTicketsOfRequester(address: string): Promise<Ticket[]>;
  /** A queue's tickets, most recently updated first (agent listings, CLI). */
  ticketsOfQueue(queue: string, options?: ListingOptions): Promise<Ticket[]>;

  /** Records that an inbound event was processed; a second time fails with `store.duplicateReceipt`. */
  recordReceipt(receipt: InboundReceipt): Promise<void>;
  getReceipt(key: string): Promise<InboundReceipt | null>;

  /** The customer stored under this address or domain (lower-cased), or null. */
  getCustomer(key: string): Promise<Customer | null>;
  /** Stores the customer, replacing what was stored (last write wins). */
  saveCustomer(customer: Customer): Promise<void>;

  /** Records mail that could not be processed; the same key again replaces the record. */
  putQuarantine(record: QuarantineRecord): Promise<void>;
  /** Quarantined mail, most recent first. */
  listQuarantine(options?: ListingOptions): Promise<QuarantineRecord[]>;
}
