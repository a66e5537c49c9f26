import { createHash } from 'node:crypto';
import { normalizeAddress, normalizeMessageId } from '../../application/ports/ticket-store.ts';
import { isOpenStatus, type Ticket } from '../../domain/ticket/ticket.ts';

/**
 * Every key of the ticket table is built here, so the single-table layout can be read
 * in one screen. Items carry `entity` so a raw item says what it is.
 *
 * | entity     | pk                  | sk                         | index keys                                        |
 * |------------|---------------------|----------------------------|---------------------------------------------------|
 * | ticket     | T#<number>          | TICKET                     | byRequester: REQ#<address> / OPEN|CLOSED#<updated>#<number> |
 * |            |                     |                            | byListing:   QUEUE#<queue> / <updated>#<number>   |
 * | message    | T#<number>          | M#<iso at>#<sequence>      |                                                   |
 * | messageId  | MID#<Message-ID>    | MID                        |                                                   |
 * | receipt    | IN#<key>            | IN                         |                                                   |
 * | counter    | SEQ#ticket          | SEQ                        |                                                   |
 * | customer   | C#<address|domain>  | C                          | byRequester: REQ#<address> / CUSTOMER (addresses only) |
 * |            |                     |                            | byListing:   CUSTOMERS / ACTIVE|SUSPENDED#<key>   |
 * | quarantine | Q#<key>             | Q                          | byListing:   QUARANTINE / <at>#<key>              |
 * | threadClaim| TC#<sha256 of claim>| TC                         | (none; TTL on expiresAtEpoch)                     |
 * | requestCounter | RC#<sha256 of name@window> | RC             | (none; TTL on expiresAtEpoch; dynamodb-request-counters.ts) |
 *
 * The requester index sorts `CLOSED#…` < `CUSTOMER` < `OPEN#…` (L < U, C < O), so one
 * Query with `requesterSk >= CUSTOMER` returns an address's customer record and its open
 * tickets, and never its closed ones (requesterOverview). Any new sort key in a REQ#
 * partition must keep out of that range, or it will turn up in that Query.
 */
export type Entity =
  | 'ticket'
  | 'message'
  | 'messageId'
  | 'receipt'
  | 'counter'
  | 'customer'
  | 'quarantine'
  | 'threadClaim'
  | 'requestCounter';

export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

/** ISO instants sort as strings only in one shape; `2024-01-02T03:04:05Z` and `…05.000Z` would not. */
const sortableInstant = (at: string): string => new Date(at).toISOString();

/** Zero-padded so that numbers sort as strings (10 digits: far beyond any ticket count). */
const sortableNumber = (value: number, width: number): string => String(value).padStart(width, '0');

/** A ticket's partition holds the ticket item and its messages. */
export const ticketPartition = (number: number): string => `T#${number}`;

export const ticketKey = (number: number): TableKey => ({ pk: ticketPartition(number), sk: 'TICKET' });

/** Messages share the ticket's partition, so one Query returns them in time order. */
export const MESSAGE_SORT_PREFIX = 'M#';
export const messageKey = (ticketNumber: number, at: string, sequence: number): TableKey => ({
  pk: ticketPartition(ticketNumber),
  sk: `${MESSAGE_SORT_PREFIX}${sortableInstant(at)}#${sortableNumber(sequence, 6)}`,
});

export const messageIdKey = (messageId: string): TableKey => ({
  pk: `MID#${normalizeMessageId(messageId)}`,
  sk: 'MID',
});

export const receiptKey = (key: string): TableKey => ({ pk: `IN#${key}`, sk: 'IN' });

export const ticketCounterKey: TableKey = { pk: 'SEQ#ticket', sk: 'SEQ' };

export const customerKey = (key: string): TableKey => ({ pk: `C#${normalizeAddress(key)}`, sk: 'C' });

export const quarantineKey = (key: string): TableKey => ({ pk: `Q#${key}`, sk: 'Q' });

/** A claim names a requester and a whole subject (up to 998 characters): hashed to keep the key short and fixed. */
export const threadClaimKey = (claim: string): TableKey => ({
  pk: `TC#${createHash('sha256').update(claim).digest('base64url')}`,
  sk: 'TC',
});

/** Index "byRequester": a requester's tickets and customer record, sorted so key conditions select them (layout above). */
export const REQUESTER_INDEX = 'byRequester';
export const OPEN_TICKETS_PREFIX = 'OPEN#';
const CLOSED_TICKETS_PREFIX = 'CLOSED#';
/** Between the closed and the open tickets: `requesterSk >= CUSTOMER_REQUESTER_SORT` skips the closed ones. */
export const CUSTOMER_REQUESTER_SORT = 'CUSTOMER';
export const requesterPartition = (address: string): string => `REQ#${normalizeAddress(address)}`;
export const requesterIndexKeys = (ticket: Ticket): { requesterPk: string; requesterSk: string } => ({
  requesterPk: requesterPartition(ticket.requester),
  requesterSk: `${isOpenStatus(ticket.status) ? OPEN_TICKETS_PREFIX : CLOSED_TICKETS_PREFIX}${sortableInstant(ticket.updatedAt)}#${sortableNumber(ticket.number, 10)}`,
});
/** A customer keyed by an address is that requester's; a domain's record belongs to no one requester and stays out of the index. */
export const isAddressKey = (key: string): boolean => key.includes('@');
export const customerRequesterKeys = (
  key: string,
): { requesterPk: string; requesterSk: string } | Record<string, never> =>
  isAddressKey(key) ? { requesterPk: requesterPartition(key), requesterSk: CUSTOMER_REQUESTER_SORT } : {};

/** Index "byListing": lists an operator pages through, newest first (a queue's tickets, quarantined mail). */
export const LISTING_INDEX = 'byListing';
export const queuePartition = (queue: string): string => `QUEUE#${queue}`;
export const QUARANTINE_PARTITION = 'QUARANTINE';
export const queueListingKeys = (ticket: Ticket): { listingPk: string; listingSk: string } => ({
  listingPk: queuePartition(ticket.queue),
  listingSk: `${sortableInstant(ticket.updatedAt)}#${sortableNumber(ticket.number, 10)}`,
});
export const quarantineListingKeys = (key: string, at: string): { listingPk: string; listingSk: string } => ({
  listingPk: QUARANTINE_PARTITION,
  listingSk: `${sortableInstant(at)}#${key}`,
});
/**
 * Every customer record (addresses and domains) in one listing partition, active ones before
 * suspended ones, each by key: `begins_with(listingSk, SUSPENDED#)` lists the suspended only.
 */
export const CUSTOMER_PARTITION = 'CUSTOMERS';
export const SUSPENDED_CUSTOMERS_PREFIX = 'SUSPENDED#';
const ACTIVE_CUSTOMERS_PREFIX = 'ACTIVE#';
export const customerListingKeys = (customer: {
  readonly key: string;
  readonly suspended: boolean;
}): { listingPk: string; listingSk: string } => ({
  listingPk: CUSTOMER_PARTITION,
  listingSk: `${customer.suspended ? SUSPENDED_CUSTOMERS_PREFIX : ACTIVE_CUSTOMERS_PREFIX}${normalizeAddress(customer.key)}`,
});
