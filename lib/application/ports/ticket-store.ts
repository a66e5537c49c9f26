import type { Customer } from '../../domain/ticket/customer.ts';
import type { Ticket, TicketMessage } from '../../domain/ticket/ticket.ts';
import type { OutgoingMail } from './mailer.ts';

export type { Customer };

/**
 * Message-IDs are matched without their angle brackets and surrounding blanks: In-Reply-To
 * and References carry `<id@host>`, SES returns a bare id, and both must find the same ticket.
 * Case is kept: the part left of `@` is case-sensitive (RFC 5322 §3.6.4 leaves it opaque).
 */
export const normalizeMessageId = (messageId: string): string =>
  messageId.trim().replace(/^<\s*/, '').replace(/\s*>$/, '');

/** Ticket numbers start here: four digits from the first ticket, never mistaken for a count or a year. */
export const FIRST_TICKET_NUMBER = 1000;

/**
 * The most a stored item (a message, a receipt with its pending mail …) may weigh: DynamoDB's
 * item limit, which the in-memory store enforces too. Writes over it fail with `store.itemTooLarge`.
 */
export const STORED_ITEM_LIMIT_BYTES = 400 * 1024;

/** Addresses and domains are looked up case-insensitively (what people type varies; the mailbox does not). */
export const normalizeAddress = (address: string): string => address.trim().toLowerCase();

/** What became of an inbound event (SES receipt, web-form submission) the first time it was seen. */
export type ReceiptOutcome = 'created' | 'threaded' | 'quarantined' | 'ignored';

/**
 * A mail the processing of an inbound event decided to send, kept on the receipt until
 * it is recorded as sent (recordSentMail): a retried Lambda finds what is still owed
 * instead of deciding again, so a notification is neither sent twice nor lost.
 */
export interface PendingMail {
  /** What the mail is for: `acknowledgement`, `agent-new-ticket`, … (the use case's vocabulary, not the store's). */
  readonly purpose: string;
  readonly ticketNumber: number;
  /** The message sequence this mail will take on the ticket once sent. */
  readonly sequence: number;
  readonly author: 'system' | 'agent';
  readonly mail: OutgoingMail;
}

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
  /** Mail decided on but not yet recorded as sent; `[]` on receipts stored before this field existed. */
  readonly pendingMail: readonly PendingMail[];
  /** When recordSentMail left no mail pending; null until then (and on receipts stored before this field existed). */
  readonly completedAt: string | null;
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
  /** Stored in the same transaction, replacing what was stored (last write wins), e.g. a new lastAcknowledgedAt. */
  readonly customer?: Customer;
}

export interface AddMessageInput {
  /** The ticket's state after the message (message count, status, updatedAt …). */
  readonly ticket: Ticket;
  /** The version the ticket was read at; the write fails with `store.versionConflict` if it moved on. */
  readonly expectedVersion: number;
  readonly message: TicketMessage;
  readonly receipt?: InboundReceipt;
  /** Stored in the same transaction, replacing what was stored (last write wins). */
  readonly customer?: Customer;
}

/** What ingest needs to know about a sender with no usable thread: who they are and what they have open. */
export interface RequesterOverview {
  /** The customer stored under the exact address (not its domain), or null. */
  readonly customer: Customer | null;
  /** Their open tickets (OPEN_STATUSES), most recently updated first. */
  readonly openTickets: Ticket[];
}

export interface ReplyContextQuery {
  /** In-Reply-To, then References (any order the caller trusts most first). */
  readonly messageIds: readonly string[];
  /** The sender's customer key (address), looked up in the same request. */
  readonly customerKey: string;
}

export interface ReplyContext {
  /** The ticket of the first of the ids that is known, or null. */
  readonly ticketNumber: number | null;
  readonly customer: Customer | null;
}

export interface RecordSentMailInput {
  readonly ticketNumber: number;
  /**
   * The outbound messages for the mail just sent (the ticket item is not touched: the caller
   * reserved their sequences in the ticket's messageCount when it decided on the mail). Their `at` and `sequence` form their key,
   * so a retry must rebuild them with the same values (take `at` from the pending mail's
   * decision, not from the clock) for a repeat to be recognised.
   */
  readonly messages: readonly TicketMessage[];
  /** The receipt whose pendingMail to replace, or null when the mail was not owed to an inbound event. */
  readonly receiptKey: string | null;
  /** What is still owed after this; `[]` also stamps the receipt's completedAt. */
  readonly remainingMail: readonly PendingMail[];
}

export interface ListingOptions {
  /** At most this many items; all of them when absent. */
  readonly limit?: number;
}

export interface CustomerListingOptions extends ListingOptions {
  /** Only suspended customers (`atende customers list --suspended`). */
  readonly suspended?: boolean;
}

/**
 * Where tickets, their messages and the bookkeeping around them live.
 *
 * Every write that can collide is conditional and fails with an AtendeError:
 * `store.duplicateReceipt`, `store.duplicateMessageId`, `store.duplicateMessage`,
 * `store.versionConflict`, `store.ticketNotFound`, `store.receiptNotFound`, `store.ticketExists`.
 * Several items that must change together change in one transaction: either all of them are
 * written or none. An item over DynamoDB's 400 KB fails with `store.itemTooLarge` (nothing is
 * truncated here: callers keep texts short).
 *
 * Request counts (DynamoDB) are part of the contract, since ingest has a budget of four per
 * message: requesterOverview is one Query, replyContext one BatchGetItem, createTicket,
 * addMessage and recordSentMail one TransactWriteItems each (pages and throttling retries aside).
 *
 * Versions: a created ticket is stored at version 1; every later write stores
 * `expectedVersion + 1`. The ticket a write returns carries the stored version.
 */
export interface TicketStore {
  /** The next human ticket number: FIRST_TICKET_NUMBER (1000), 1001, … (atomic, never handed out twice). */
  allocateTicketNumber(): Promise<number>;

  /** Stores a new ticket, its first message, the message's Message-ID link, the receipt and the customer, all or nothing. */
  createTicket(input: CreateTicketInput): Promise<Ticket>;
  /** Adds a message to a ticket and stores the ticket's new state, its Message-ID link, the receipt and the customer, all or nothing. */
  addMessage(input: AddMessageInput): Promise<Ticket>;
  /**
   * Records mail that was sent, all or nothing: each outbound message, its Message-ID link
   * (`store.duplicateMessageId` if the id belongs to another ticket), the ticket's messageCount
   * and version (bumped, so concurrent read-modify-writers retry; updatedAt and listings stay)
   * and the receipt's pendingMail. A message that is already stored fails the whole write with
   * `store.duplicateMessage`: an earlier attempt recorded it. A missing ticket or receipt fails
   * with `store.ticketNotFound` or `store.receiptNotFound`.
   */
  recordSentMail(input: RecordSentMailInput): Promise<void>;
  /** Stores the ticket's new state if nobody changed it since `expectedVersion`. */
  saveTicket(ticket: Ticket, expectedVersion: number): Promise<Ticket>;

  /** The ticket with this number, or null (strongly consistent read). */
  getTicket(number: number): Promise<Ticket | null>;
  /** The ticket's messages, oldest first. */
  listMessages(number: number): Promise<TicketMessage[]>;

  /** The ticket the first of these Message-IDs (In-Reply-To, then References) belongs to, or null. */
  ticketForMessageIds(messageIds: readonly string[]): Promise<number | null>;
  /** ticketForMessageIds and getCustomer in one read (one BatchGetItem per 100 keys); the customer is read strongly consistent. */
  replyContext(query: ReplyContextQuery): Promise<ReplyContext>;
  /** Links a Message-ID (e.g. the id SES gave an outbound mail) to a ticket; linking it again to the same ticket is a no-op. */
  linkMessageId(messageId: string, ticketNumber: number): Promise<void>;

  /** The requester's open tickets (OPEN_STATUSES: not resolved, not closed), most recently updated first (threading by sender, duplicate detection). */
  openTicketsOfRequester(address: string): Promise<Ticket[]>;
  /**
   * The requester's customer record and open tickets in one read (one Query; eventually
   * consistent, like every index read). Only customers keyed by an address are found: a
   * domain's record is not the requester's.
   */
  requesterOverview(address: string): Promise<RequesterOverview>;
  /** A queue's tickets, most recently updated first (agent listings, CLI). */
  ticketsOfQueue(queue: string, options?: ListingOptions): Promise<Ticket[]>;

  /** Records that an inbound event was processed; a second time fails with `store.duplicateReceipt`. */
  recordReceipt(receipt: InboundReceipt): Promise<void>;
  getReceipt(key: string): Promise<InboundReceipt | null>;

  /** The customer stored under this address or domain (lower-cased), or null. */
  getCustomer(key: string): Promise<Customer | null>;
  /** Stores the customer, replacing what was stored (last write wins). */
  saveCustomer(customer: Customer): Promise<void>;
  /**
   * Customer records, by address or domain: active ones first, then suspended ones, each in
   * key order (one Query per page; eventually consistent, like every index read).
   */
  listCustomers(options?: CustomerListingOptions): Promise<Customer[]>;

  /** Records mail that could not be processed; the same key again replaces the record. */
  putQuarantine(record: QuarantineRecord): Promise<void>;
  /** Quarantined mail, most recent first. */
  listQuarantine(options?: ListingOptions): Promise<QuarantineRecord[]>;
}
