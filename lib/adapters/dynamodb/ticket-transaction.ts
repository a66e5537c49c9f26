import { type CancellationReason, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type {
  Customer,
  InboundReceipt,
  OwedEffect,
  QuarantineRecord,
  ThreadClaim,
} from '../../application/ports/ticket-store.ts';
import { AtendeError, type ErrorCode } from '../../domain/atende-error.ts';
import type { Ticket, TicketMessage } from '../../domain/ticket/ticket.ts';
import { isItemTooLargeMessage, itemTooLarge, translateItemTooLarge } from './item-too-large.ts';
import {
  customerItem,
  messageIdItem,
  messageItem,
  quarantineItem,
  receiptItem,
  threadClaimItem,
} from './ticket-items.ts';
import { receiptKey } from './ticket-table-keys.ts';
import { translateTransientFailure } from './transient-failure.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type PutOptions = Omit<NonNullable<TransactItem['Put']>, 'TableName' | 'Item'>;
type UpdateOptions = Omit<NonNullable<TransactItem['Update']>, 'TableName'>;

/** TransactWriteItems takes at most 100 items. */
export const TRANSACTION_ITEM_LIMIT = 100;

/** What an item in a ticket transaction is for; the cancellation reasons come back in the same order. */
export type TransactionPart =
  | 'ticket'
  | 'message'
  | 'messageId'
  | 'receipt'
  | 'customer'
  | 'threadClaim'
  | 'quarantine';

/** Facts about one item (its Message-ID, a message's sequence …) for the details of the error it causes. */
type Subject = Readonly<Record<string, string | number | null>>;

/** The items of one ticket transaction, each with its part, so cancellation reasons (same order) can be read. */
export class TicketTransaction {
  readonly parts: TransactionPart[] = [];
  readonly subjects: Subject[] = [];
  readonly items: TransactItem[] = [];

  private readonly tableName: string;

  constructor(tableName: string) {
    this.tableName = tableName;
  }

  put(part: TransactionPart, item: Record<string, unknown>, condition: PutOptions = {}, subject: Subject = {}): void {
    this.add(part, subject, { Put: { TableName: this.tableName, Item: item, ...condition } });
  }

  update(part: TransactionPart, update: UpdateOptions, subject: Subject = {}): void {
    this.add(part, subject, { Update: { TableName: this.tableName, ...update } });
  }

  /** The message, its Message-ID link and the receipt: what createTicket and addMessage share. */
  putMessage(ticket: Ticket, message: TicketMessage, receipt: InboundReceipt | undefined): void {
    assertSameTicket(ticket.number, message);
    // No condition on the message: the ticket's condition (new, or expected version) already serializes its writers.
    this.put('message', messageItem(message), {}, { sequence: message.sequence });
    // A mail without a Message-ID is known by its content key, so the same mail again is recognised the same way.
    const identity = message.messageId ?? message.contentKey;
    if (identity !== null) {
      this.put(
        'messageId',
        messageIdItem(identity, ticket.number),
        { ConditionExpression: 'attribute_not_exists(pk)' },
        { messageId: identity },
      );
    }
    this.putReceipt(receipt);
  }

  /** A new receipt: the event must not have been seen. */
  putReceipt(receipt: InboundReceipt | undefined): void {
    if (receipt !== undefined)
      this.put(
        'receipt',
        receiptItem(receipt),
        { ConditionExpression: 'attribute_not_exists(pk)' },
        { receiptKey: receipt.key },
      );
  }

  /**
   * Claims on a thread: each must be absent, expired, or already this ticket's. The old item comes
   * back on failure, so the loser learns which ticket holds the thread.
   */
  putThreadClaims(claims: readonly ThreadClaim[] | undefined): void {
    for (const claim of claims ?? []) {
      this.put(
        'threadClaim',
        threadClaimItem(claim),
        {
          ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :now OR #ticketNumber = :ticketNumber',
          ExpressionAttributeNames: { '#expiresAt': 'expiresAt', '#ticketNumber': 'ticketNumber' },
          ExpressionAttributeValues: { ':now': claim.claimedAt, ':ticketNumber': claim.ticketNumber },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
        { claim: claim.key },
      );
    }
  }

  /** The receipt and the quarantine record: mail that goes no further is recorded in one write. */
  putQuarantine(receipt: InboundReceipt, record: QuarantineRecord): void {
    this.put(
      'receipt',
      receiptItem(receipt),
      { ConditionExpression: 'attribute_not_exists(pk)' },
      { receiptKey: receipt.key },
    );
    this.put('quarantine', quarantineItem(record), {}, { quarantineKey: record.key });
  }

  /** No condition: the customer record is last-write-wins, as saveCustomer. */
  putCustomer(customer: Customer | undefined): void {
    if (customer !== undefined) this.put('customer', customerItem(customer), {}, { customerKey: customer.key });
  }

  /**
   * An outbound message that was sent, and its Message-ID link. The message must be new: if it is
   * stored, an earlier attempt recorded this mail. The link may exist for the same ticket
   * (linkMessageId may have run first), not for another.
   */
  putSentMessage(ticketNumber: number, message: TicketMessage): void {
    assertSameTicket(ticketNumber, message);
    this.put(
      'message',
      messageItem(message),
      { ConditionExpression: 'attribute_not_exists(pk)' },
      { sequence: message.sequence, at: message.at },
    );
    if (message.messageId !== null) {
      this.put(
        'messageId',
        messageIdItem(message.messageId, ticketNumber),
        {
          ConditionExpression: 'attribute_not_exists(pk) OR #ticketNumber = :ticketNumber',
          ExpressionAttributeNames: { '#ticketNumber': 'ticketNumber' },
          ExpressionAttributeValues: { ':ticketNumber': ticketNumber },
        },
        { messageId: message.messageId },
      );
    }
  }

  /** What the receipt still owes; with nothing left, when it was done (and its lease ends). */
  settleReceipt(key: string, remaining: readonly OwedEffect[], now: string): void {
    const done = remaining.length === 0;
    this.update(
      'receipt',
      {
        Key: receiptKey(key),
        UpdateExpression: done
          ? 'SET #owed = :remaining, #completedAt = :now, #leaseUntil = :null'
          : 'SET #owed = :remaining',
        // Without it, SET on a missing receipt would create one no schema accepts.
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: {
          '#owed': 'owed',
          ...(done ? { '#completedAt': 'completedAt', '#leaseUntil': 'leaseUntil' } : {}),
        },
        ExpressionAttributeValues: { ':remaining': remaining, ...(done ? { ':now': now, ':null': null } : {}) },
      },
      { receiptKey: key },
    );
  }

  private add(part: TransactionPart, subject: Subject, item: TransactItem): void {
    if (this.items.length >= TRANSACTION_ITEM_LIMIT) {
      // A programming error: callers write a handful of items; more needs another design, not a split (all or nothing).
      throw new Error(`A ticket transaction cannot hold more than ${TRANSACTION_ITEM_LIMIT} items`);
    }
    this.parts.push(part);
    this.subjects.push(subject);
    this.items.push(item);
  }
}

const assertSameTicket = (ticketNumber: number, message: TicketMessage): void => {
  if (message.ticketNumber !== ticketNumber) {
    // A programming error, not an expected failure: the message would land in another ticket's partition.
    throw new Error(`Message for ticket ${message.ticketNumber} written with ticket ${ticketNumber}`);
  }
};

export interface TransactionContext {
  readonly operation: 'createTicket' | 'addMessage' | 'recordSentMail' | 'quarantineMail';
  /** The parts, in the order of the transaction's items. */
  readonly parts: readonly TransactionPart[];
  /** Each item's subject, same order. */
  readonly subjects: readonly Subject[];
  readonly ticketNumber: number | null;
  readonly expectedVersion: number | null;
}

/** Reason codes that mean "nothing was wrong with the request; try it again". */
const TRANSIENT_REASONS = new Set(['None', 'TransactionConflict', 'ThrottlingError']);

/** A cancellation only because of contention or throttling: the same transaction, sent again, may pass. */
export const isTransientCancellation = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).every((reason) => TRANSIENT_REASONS.has(reason.Code ?? 'None')) &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code !== 'None' && reason.Code !== undefined);

/**
 * Turns a cancelled ticket transaction into the domain's meaning. When several
 * conditions failed, the one that explains the others wins: a redelivered event
 * (receipt) also repeats its Message-ID and carries a stale version; a recording
 * that was already made (message) also finds its links.
 * A transaction throttled, failed by the service or left unanswered is `store.throttled` or
 * `store.unavailable` (after a 5xx or a timeout it may have been applied). Anything else that is
 * not a failed condition of ours is returned as it came.
 */
export const translateCancellation = (error: unknown, context: TransactionContext): unknown => {
  const base = {
    operation: context.operation,
    ticketNumber: context.ticketNumber,
    ...(context.expectedVersion === null ? {} : { expectedVersion: context.expectedVersion }),
  };
  if (!(error instanceof TransactionCanceledException))
    return translateTransientFailure(translateItemTooLarge(error, base), base);
  const reasons = error.CancellationReasons ?? [];
  /** The first item of this part that failed with this code, with the details of its subject. */
  const failed = (
    part: TransactionPart,
    code = 'ConditionalCheckFailed',
  ): { reason: CancellationReason; details: Record<string, unknown> } | undefined => {
    const index = context.parts.findIndex((candidate, at) => candidate === part && reasons[at]?.Code === code);
    const reason = reasons[index];
    return reason === undefined ? undefined : { reason, details: { ...base, ...context.subjects[index] } };
  };
  const fail = (code: ErrorCode, message: string, details: Record<string, unknown>): AtendeError =>
    new AtendeError(code, message, { cause: error, details });
  const recording = context.operation === 'recordSentMail';

  const receipt = failed('receipt');
  if (receipt && !recording)
    return fail(
      'store.duplicateReceipt',
      `Inbound event ${String(receipt.details['receiptKey'])} was already processed`,
      receipt.details,
    );
  const message = failed('message');
  if (message)
    return fail(
      'store.duplicateMessage',
      `Message ${String(message.details['sequence'])} of ticket ${context.ticketNumber} is already stored`,
      message.details,
    );
  const messageId = failed('messageId');
  if (messageId) {
    const whose = recording ? 'already belongs to another ticket' : 'is already stored';
    return fail(
      'store.duplicateMessageId',
      `Message-ID ${String(messageId.details['messageId'])} ${whose}`,
      messageId.details,
    );
  }
  const claims = context.parts.flatMap((part, index) => {
    const reason = reasons[index];
    if (part !== 'threadClaim' || reason?.Code !== 'ConditionalCheckFailed' || reason.Item === undefined) return [];
    const old = unmarshall(reason.Item as Parameters<typeof unmarshall>[0]);
    return typeof old['key'] === 'string' && typeof old['ticketNumber'] === 'number'
      ? [{ key: old['key'], ticketNumber: old['ticketNumber'] }]
      : [];
  });
  if (claims.length > 0) {
    return fail(
      'store.threadClaimed',
      `The thread is being opened as ticket ${claims.map((claim) => claim.ticketNumber).join(', ')}`,
      { ...base, claims },
    );
  }
  const ticket = failed('ticket');
  if (ticket && context.operation === 'createTicket')
    return fail('store.ticketExists', `Ticket ${context.ticketNumber} already exists`, ticket.details);
  if (ticket) {
    // addMessage asks ReturnValuesOnConditionCheckFailure=ALL_OLD: no old item means there was no ticket to update.
    // recordSentMail's only condition on the ticket is that it exists.
    return recording || ticket.reason.Item === undefined
      ? fail('store.ticketNotFound', `Ticket ${context.ticketNumber} does not exist`, ticket.details)
      : fail(
          'store.versionConflict',
          `Ticket ${context.ticketNumber} changed since version ${context.expectedVersion ?? '?'}`,
          ticket.details,
        );
  }
  if (receipt)
    return fail(
      'store.receiptNotFound',
      `Inbound event ${String(receipt.details['receiptKey'])} has no receipt to settle`,
      receipt.details,
    );
  const tooLarge = reasons.findIndex(
    (reason) => reason.Code === 'ValidationError' && isItemTooLargeMessage(reason.Message),
  );
  if (tooLarge >= 0)
    return itemTooLarge(error, { ...base, part: context.parts[tooLarge], ...context.subjects[tooLarge] });
  // Another transaction was writing the same ticket at that moment: as good as a newer version, and as retryable.
  const conflict = failed('ticket', 'TransactionConflict');
  if (conflict && context.operation === 'addMessage')
    return fail(
      'store.versionConflict',
      `Ticket ${context.ticketNumber} was being written concurrently`,
      conflict.details,
    );
  // Contention or throttling only: nothing was wrong with the request, and nothing was written.
  if (isTransientCancellation(error))
    return fail('store.contention', `The ${context.operation} transaction met a concurrent write; try again`, base);
  return error;
};
