import type { Customer } from '../../domain/ticket/customer.ts';
import type { OutboundPurpose } from '../../domain/ticket/message-purpose.ts';
import type { Ticket, TicketMessage } from '../../domain/ticket/ticket.ts';
import type { OutgoingMail } from './mailer.ts';
import type { ScheduledTimer } from './timer-scheduler.ts';

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
 * A mail a ticket change decided to send, owed on the receipt until it is settled
 * (recordSentMail): a retried Lambda finds what is still owed instead of deciding again,
 * so a notification is neither sent twice nor lost.
 */
export interface OwedMail {
  readonly kind: 'mail';
  /** What the mail is for: the notification kind that made it (`acknowledgement`, `agent-new-ticket`, …). */
  readonly purpose: OutboundPurpose;
  /** The ticket it is about; null for the suspended-support notice, which belongs to no ticket. */
  readonly ticketNumber: number | null;
  /** The message sequence this mail takes on its ticket once settled (null without a ticket). */
  readonly sequence: number | null;
  readonly author: 'system' | 'agent';
  readonly mail: OutgoingMail;
}

/**
 * "Re-plan the ticket's timers": owed by every ticket change. Settling it reads the ticket as it
 * is then and makes its one schedule hold the plan's next timer (ticket-timers.ts), so a settle
 * repeated, or one that comes after a later change's, leaves the schedule as the ticket needs it.
 */
export interface OwedTimers {
  readonly kind: 'timers';
  readonly ticketNumber: number;
  /**
   * The schedule the ticket held before the change, as far as the change knows (null for a new
   * ticket, or after a firing: a fired schedule deletes itself). It picks the call: nothing when
   * the plan's next timer is the same, an update of the same name, a create, or a delete.
   */
  readonly scheduled: ScheduledTimer | null;
}

/**
 * "Store the message's attachments": owed by a change whose message came with files. Settling it
 * reads the raw mail again, takes each file out of it, checks its hash and puts it under its key
 * (decided in the change, so the message record names it). It settles before the event's mail,
 * which attaches the stored files; putting a key again puts the same bytes.
 */
export interface OwedAttachments {
  readonly kind: 'attachments';
  readonly ticketNumber: number;
  /** The raw mail the files are in (raw-mail store). */
  readonly rawKey: string;
  readonly files: readonly OwedAttachmentFile[];
}

export interface OwedAttachmentFile {
  readonly key: string;
  readonly sha256: string;
  readonly contentType: string;
}

/**
 * What a ticket change owes the world outside the store, recorded in the same transaction
 * as the change and settled afterwards, each on its own: mail to send, the ticket's timers, and
 * its message's attachments (settled first: mail attaches them).
 */
export type OwedEffect = OwedMail | OwedTimers | OwedAttachments;

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
  /** Effects decided on but not yet settled; `[]` once all are (sent, or recorded as failed for good). */
  readonly owed: readonly OwedEffect[];
  /** When nothing was owed any more; null until then. */
  readonly completedAt: string | null;
  /**
   * Until when the attempt that holds the receipt may still be settling its effects: a
   * redelivery before then is told to come back later, so two deliveries never settle the same
   * effect at once. Null once nothing is owed.
   */
  readonly leaseUntil: string | null;
  /** What the event said, hashed (a web-form body): the same key with other words is refused, not replayed. */
  readonly fingerprint?: string;
}

/**
 * A short-lived claim on a new thread, written in the transaction that opens or extends a
 * ticket: two mails of one new thread processed at the same instant (one requester and one
 * normalised subject, or a mail and its reply) cannot both open a ticket. The loser's write
 * fails with `store.threadClaimed`, naming the claimed ticket, and it retries as a follow-up.
 */
export interface ThreadClaim {
  /** What is claimed, e.g. `subject:<requester> <normalised subject>` or `message-id:<id>` (threading.ts). */
  readonly key: string;
  readonly ticketNumber: number;
  /** When the claiming change was decided: a claim that expired before this is free. */
  readonly claimedAt: string;
  /** After this the claim counts as absent (and DynamoDB's TTL removes it). */
  readonly expiresAt: string;
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
  /** Claims on the thread; a live claim of another ticket fails the write with `store.threadClaimed`. */
  readonly threadClaims?: readonly ThreadClaim[];
}

export interface AddMessageInput {
  /** The ticket's state after the message (message count, status, updatedAt …). */
  readonly ticket: Ticket;
  /** The version the ticket was read at; the write fails with `store.versionConflict` if it moved on. */
  readonly expectedVersion: number;
  /** The message the event adds; null for a change that adds none (a timer acting, a status set from the CLI). */
  readonly message: TicketMessage | null;
  readonly receipt?: InboundReceipt;
  /** Stored in the same transaction, replacing what was stored (last write wins). */
  readonly customer?: Customer;
  /** As for createTicket. */
  readonly threadClaims?: readonly ThreadClaim[];
}

/** Mail that goes no further, in one write: the receipt (idempotency), the record, and the customer. */
export interface QuarantineMailInput {
  readonly receipt: InboundReceipt;
  readonly record: QuarantineRecord;
  /** Stored in the same transaction (last write wins), e.g. when the suspended-support notice is owed. */
  readonly customer?: Customer;
}

/** A redelivered event taking over the settling of what its receipt still owes. */
export interface ReceiptLease {
  readonly key: string;
  /** Now: a lease that ended before this is free. */
  readonly now: string;
  /** The new lease's end. */
  readonly until: string;
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
  /** The ticket the messages belong to; null when the mail settled belongs to no ticket. */
  readonly ticketNumber: number | null;
  /**
   * The outbound messages for the mail just settled, sent or failed for good (the ticket item is
   * not touched: the caller reserved their sequences in the ticket's messageCount when it decided
   * on the mail). Their `at` and `sequence` form their key, so a retry must rebuild them with the
   * same values (take `at` from the owed mail's decision, not from the clock) for a repeat to be
   * recognised.
   */
  readonly messages: readonly TicketMessage[];
  /** The receipt whose owed effects to replace, or null when the mail was not owed to an inbound event. */
  readonly receiptKey: string | null;
  /** What is still owed after this; `[]` also stamps the receipt's completedAt and ends its lease. */
  readonly remaining: readonly OwedEffect[];
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
 * `store.versionConflict`, `store.ticketNotFound`, `store.receiptNotFound`, `store.ticketExists`,
 * `store.threadClaimed` (with `details.claims`: the claimed keys and their tickets). A write
 * that met a concurrent one, was throttled, failed in the service or got no answer fails with
 * `store.contention`, `store.throttled` or `store.unavailable`: nothing was wrong with it and
 * it may be tried again (after `store.unavailable` it may even have been applied).
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

  /**
   * Stores a new ticket, its first message, the message's identity link (its Message-ID, else its
   * content key), the receipt, the thread claims and the customer, all or nothing.
   */
  createTicket(input: CreateTicketInput): Promise<Ticket>;
  /**
   * Stores the ticket's new state with the message the change adds (if any), its identity link,
   * the receipt, the thread claims and the customer, all or nothing.
   */
  addMessage(input: AddMessageInput): Promise<Ticket>;
  /**
   * Records settled mail, all or nothing: each outbound message (sent, or failed for good with
   * its reason), its Message-ID link (`store.duplicateMessageId` if the id belongs to another
   * ticket) and the receipt's owed effects. The ticket item is not touched: its messageCount
   * reserved the sequences when the mail was decided. A message that is already stored fails the
   * whole write with `store.duplicateMessage`: an earlier attempt recorded it. A missing receipt
   * fails with `store.receiptNotFound`.
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
  /**
   * Takes the receipt's lease if it still owes something and its lease is free (ended before
   * `now`, or none), and returns the receipt as it then is; `leased: false` (and the receipt as
   * it is) when nothing is owed or another attempt holds the lease. `store.receiptNotFound`
   * without a receipt.
   */
  leaseReceipt(lease: ReceiptLease): Promise<{ receipt: InboundReceipt; leased: boolean }>;
  /**
   * Ends the receipt's lease, whoever holds it. Only for an attempt known to have ended without
   * settling what it owes (one whose send failed for a reason that may pass; the local stack's
   * run that died in it): resuming its event then need not wait for the lease to run out.
   * Nothing happens when there is no receipt.
   */
  releaseReceiptLease(key: string): Promise<void>;
  /** Records the receipt and the quarantine record together; `store.duplicateReceipt` if the event was seen. */
  quarantineMail(input: QuarantineMailInput): Promise<void>;

  /** The customer stored under this address or domain (lower-cased), or null. */
  getCustomer(key: string): Promise<Customer | null>;
  /** Stores the customer, replacing what was stored (last write wins). */
  saveCustomer(customer: Customer): Promise<void>;
  /**
   * Customer records, by address or domain: active ones first, then suspended ones, each in
   * key order (one Query per page; eventually consistent, like every index read).
   */
  listCustomers(options?: CustomerListingOptions): Promise<Customer[]>;

  /** Quarantined mail, most recent first. */
  listQuarantine(options?: ListingOptions): Promise<QuarantineRecord[]>;
}
