import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { InboundReceipt } from '../../application/ports/ticket-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import type { Ticket, TicketMessage } from '../../domain/ticket/ticket.ts';
import { messageIdItem, messageItem, receiptItem } from './ticket-items.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What an item in a ticket transaction is for; the cancellation reasons come back in the same order. */
export type TransactionPart = 'ticket' | 'message' | 'messageId' | 'receipt';

/** The items of one ticket transaction, each with its part, so cancellation reasons (same order) can be read. */
export class TicketTransaction {
  readonly parts: TransactionPart[] = [];
  readonly items: TransactItem[] = [];

  private readonly tableName: string;

  constructor(tableName: string) {
    this.tableName = tableName;
  }

  put(part: TransactionPart, item: Record<string, unknown>, condition: Omit<NonNullable<TransactItem['Put']>, 'TableName' | 'Item'> = {}): void {
    this.parts.push(part);
    this.items.push({ Put: { TableName: this.tableName, Item: item, ...condition } });
  }

  /** The message, its Message-ID link and the receipt: what createTicket and addMessage share. */
  putMessage(ticket: Ticket, message: TicketMessage, receipt: InboundReceipt | undefined): void {
    if (message.ticketNumber !== ticket.number) {
      // A programming error, not an expected failure: the message would land in another ticket's partition.
      throw new Error(`Message for ticket ${message.ticketNumber} written with ticket ${ticket.number}`);
    }
    // No condition on the message: the ticket's condition (new, or expected version) already serializes its writers.
    this.put('message', messageItem(message));
    if (message.messageId !== null) this.put('messageId', messageIdItem(message.messageId, ticket.number), { ConditionExpression: 'attribute_not_exists(pk)' });
    if (receipt !== undefined) this.put('receipt', receiptItem(receipt), { ConditionExpression: 'attribute_not_exists(pk)' });
  }
}

export interface TransactionContext {
  readonly operation: 'createTicket' | 'addMessage';
  /** The parts, in the order of the transaction's items. */
  readonly parts: readonly TransactionPart[];
  readonly ticketNumber: number;
  readonly expectedVersion: number | null;
  readonly receiptKey: string | null;
  readonly messageId: string | null;
}

/**
 * Turns a cancelled ticket transaction into the domain's meaning. When several
 * conditions failed, the one that explains the others wins: a redelivered event
 * (receipt) also repeats its Message-ID and carries a stale version.
 * Anything that is not a failed condition of ours is returned as it came.
 */
export const translateCancellation = (error: unknown, context: TransactionContext): unknown => {
  if (!(error instanceof TransactionCanceledException)) return error;
  const reasons = error.CancellationReasons ?? [];
  const failed = (part: TransactionPart, code = 'ConditionalCheckFailed') => {
    const index = context.parts.indexOf(part);
    return index >= 0 && reasons[index]?.Code === code ? reasons[index] : undefined;
  };
  const details = {
    operation: context.operation,
    ticketNumber: context.ticketNumber,
    ...(context.expectedVersion === null ? {} : { expectedVersion: context.expectedVersion }),
  };

  if (failed('receipt')) {
    return new AtendeError('store.duplicateReceipt', `Inbound event ${context.receiptKey ?? ''} was already processed`, {
      cause: error,
      details: { ...details, receiptKey: context.receiptKey },
    });
  }
  if (failed('messageId')) {
    return new AtendeError('store.duplicateMessageId', `Message-ID ${context.messageId ?? ''} is already stored`, {
      cause: error,
      details: { ...details, messageId: context.messageId },
    });
  }
  const ticketCheck = failed('ticket');
  if (ticketCheck && context.operation === 'createTicket') {
    return new AtendeError('store.ticketExists', `Ticket ${context.ticketNumber} already exists`, { cause: error, details });
  }
  if (ticketCheck) {
    // ReturnValuesOnConditionCheckFailure=ALL_OLD: no old item means there was no ticket to update.
    return ticketCheck.Item === undefined
      ? new AtendeError('store.ticketNotFound', `Ticket ${context.ticketNumber} does not exist`, { cause: error, details })
      : new AtendeError('store.versionConflict', `Ticket ${context.ticketNumber} changed since version ${context.expectedVersion ?? '?'}`, { cause: error, details });
  }
  // Another transaction was writing the same ticket at that moment: as good as a newer version, and as retryable.
  if (failed('ticket', 'TransactionConflict') && context.operation === 'addMessage') {
    return new AtendeError('store.versionConflict', `Ticket ${context.ticketNumber} was being written concurrently`, { cause: error, details });
  }
  return error;
};
