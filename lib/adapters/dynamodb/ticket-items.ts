import { z } from 'zod';
import type { OutgoingMail } from '../../application/ports/mailer.ts';
import type { Customer, InboundReceipt, PendingMail, QuarantineRecord } from '../../application/ports/ticket-store.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { CHANNELS, TICKET_STATUSES } from '../../domain/policy/policy-schema.ts';
import type { Ticket, TicketMessage } from '../../domain/ticket/ticket.ts';
import {
  customerKey,
  customerListingKeys,
  customerRequesterKeys,
  type Entity,
  messageIdKey,
  messageKey,
  quarantineKey,
  quarantineListingKeys,
  queueListingKeys,
  receiptKey,
  requesterIndexKeys,
  ticketKey,
} from './ticket-table-keys.ts';

/**
 * Items are the domain objects' fields, flat, plus keys and `entity`. Reading one back
 * goes through a schema: the table outlives any one version of this code, and a
 * malformed item must fail loudly here rather than deep inside a use case.
 * `satisfies z.ZodType<…>` keeps each schema in step with its domain type.
 */
type Item = Record<string, unknown>;

const instant = z.string();
const nullableInstant = z.string().nullable();

const TicketSchema = z.object({
  number: z.number().int(),
  queue: z.string(),
  requester: z.string(),
  requesterName: z.string().nullable(),
  participants: z.array(z.string()),
  subject: z.string(),
  normalizedSubject: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.string(),
  plan: z.string().nullable(),
  region: z.string().nullable(),
  channel: z.enum(CHANNELS),
  locale: z.string(),
  createdAt: instant,
  updatedAt: instant,
  lastCustomerMessageAt: nullableInstant,
  firstResponseDue: nullableInstant,
  resolutionDue: nullableInstant,
  firstRespondedAt: nullableInstant,
  resolvedAt: nullableInstant,
  closedAt: nullableInstant,
  pauses: z.array(z.object({ start: instant, end: nullableInstant })),
  escalationLevel: z.number().int(),
  flags: z.array(z.enum(['shouting', 'rude-words', 'secrets-masked', 'duplicate', 'throttled-follow-up'])),
  messageCount: z.number().int(),
  version: z.number().int(),
}) satisfies z.ZodType<Ticket>;

const MessageSchema = z.object({
  ticketNumber: z.number().int(),
  sequence: z.number().int(),
  at: instant,
  direction: z.enum(['inbound', 'outbound']),
  author: z.enum(['requester', 'participant', 'agent', 'system']),
  from: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  messageId: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  rawKey: z.string().nullable(),
  attachments: z.array(
    z.object({
      filename: z.string().nullable(),
      contentType: z.string(),
      size: z.number(),
      key: z.string().nullable(),
    }),
  ),
}) satisfies z.ZodType<TicketMessage>;

const MailAddressSchema = z.object({ address: z.string(), name: z.string().nullable().optional() });

/** Mail waits on a receipt until sent: a malformed one must fail here, not in the mailer of a retried Lambda. */
const OutgoingMailSchema = z.object({
  from: MailAddressSchema,
  to: z.array(MailAddressSchema),
  cc: z.array(MailAddressSchema).optional(),
  replyTo: z.array(MailAddressSchema).optional(),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  inReplyTo: z.string().nullable().optional(),
  references: z.array(z.string()).optional(),
  autoSubmitted: z.enum(['auto-replied', 'auto-generated']).optional(),
  headers: z.record(z.string(), z.string()).optional(),
}) satisfies z.ZodType<OutgoingMail>;

const PendingMailSchema = z.object({
  purpose: z.string(),
  ticketNumber: z.number().int(),
  sequence: z.number().int(),
  author: z.enum(['system', 'agent']),
  mail: OutgoingMailSchema,
}) satisfies z.ZodType<PendingMail>;

const ReceiptSchema = z.object({
  key: z.string(),
  at: instant,
  outcome: z.enum(['created', 'threaded', 'quarantined', 'ignored']),
  ticketNumber: z.number().int().nullable(),
  // Receipts stored before mail waited on them have neither field.
  pendingMail: z.array(PendingMailSchema).default([]),
  completedAt: nullableInstant.default(null),
}) satisfies z.ZodType<InboundReceipt>;

const CustomerSchema = z.object({
  key: z.string(),
  plan: z.string().nullable(),
  locale: z.string().nullable(),
  region: z.string().nullable(),
  suspended: z.boolean(),
  suspendedAt: nullableInstant,
  lastAcknowledgedAt: nullableInstant,
  lastConductNoticeAt: nullableInstant,
  updatedAt: instant,
}) satisfies z.ZodType<Customer>;

const QuarantineSchema = z.object({
  key: z.string(),
  reason: z.string(),
  rawKey: z.string().nullable(),
  at: instant,
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
}) satisfies z.ZodType<QuarantineRecord>;

const MessageIdLinkSchema = z.object({ ticketNumber: z.number().int() });

const readItem = <T>(entity: Entity, schema: z.ZodType<T>, item: Item): T => {
  const parsed = schema.safeParse(item);
  if (parsed.success && item['entity'] === entity) return parsed.data;
  throw new AtendeError('store.invalidItem', `A stored ${entity} item does not have the expected shape`, {
    cause: parsed.error,
    details: {
      entity,
      pk: item['pk'],
      sk: item['sk'],
      found: item['entity'],
      issues: parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [],
    },
  });
};

export const ticketItem = (ticket: Ticket): Item => ({
  ...ticketKey(ticket.number),
  entity: 'ticket' satisfies Entity,
  ...requesterIndexKeys(ticket),
  ...queueListingKeys(ticket),
  ...ticket,
});
export const readTicket = (item: Item): Ticket => readItem('ticket', TicketSchema, item);

export const messageItem = (message: TicketMessage): Item => ({
  ...messageKey(message.ticketNumber, message.at, message.sequence),
  entity: 'message' satisfies Entity,
  ...message,
});
export const readMessage = (item: Item): TicketMessage => readItem('message', MessageSchema, item);

export const messageIdItem = (messageId: string, ticketNumber: number): Item => ({
  ...messageIdKey(messageId),
  entity: 'messageId' satisfies Entity,
  messageId,
  ticketNumber,
});
/** The ticket a Message-ID item points to. */
export const readMessageIdLink = (item: Item): number => readItem('messageId', MessageIdLinkSchema, item).ticketNumber;

export const receiptItem = (receipt: InboundReceipt): Item => ({
  ...receiptKey(receipt.key),
  entity: 'receipt' satisfies Entity,
  ...receipt,
});
export const readReceipt = (item: Item): InboundReceipt => readItem('receipt', ReceiptSchema, item);

export const customerItem = (customer: Customer): Item => ({
  ...customerKey(customer.key),
  entity: 'customer' satisfies Entity,
  ...customerRequesterKeys(customer.key),
  ...customerListingKeys(customer),
  ...customer,
});
export const readCustomer = (item: Item): Customer => readItem('customer', CustomerSchema, item);

export const quarantineItem = (record: QuarantineRecord): Item => ({
  ...quarantineKey(record.key),
  entity: 'quarantine' satisfies Entity,
  ...quarantineListingKeys(record.key, record.at),
  ...record,
});
export const readQuarantine = (item: Item): QuarantineRecord => readItem('quarantine', QuarantineSchema, item);
