import * as z from 'zod';
import type { OutgoingMail } from '../../application/ports/mailer.ts';
import type {
  Customer,
  InboundReceipt,
  OwedEffect,
  QuarantineRecord,
  ThreadClaim,
} from '../../application/ports/ticket-store.ts';
import { SCHEDULE_NAME, TimerFiringSchema } from '../../application/ports/timer-scheduler.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { CHANNELS, TICKET_STATUSES } from '../../domain/policy/policy-schema.ts';
import { MESSAGE_PURPOSES, type MessagePurpose, OUTBOUND_PURPOSES } from '../../domain/ticket/message-purpose.ts';
import {
  ATTACHMENT_WITHHOLDINGS,
  MESSAGE_AUTHORS,
  PARTICIPANT_DECLINE_REASONS,
  SATISFACTION_RATINGS,
  SLA_TARGETS,
  TICKET_FLAGS,
  TIMER_KINDS,
  type Ticket,
  type TicketMessage,
} from '../../domain/ticket/ticket.ts';
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
  threadClaimKey,
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
  // Tickets stored before timers existed have none acted, no firings and no survey answer.
  timerLog: z
    .array(
      z.object({
        key: z.string(),
        kind: z.enum(TIMER_KINDS),
        target: z.enum(SLA_TARGETS).nullable(),
        level: z.number().int().nullable(),
        dueAt: instant,
        at: instant,
      }),
    )
    .default([]),
  timerFirings: z.number().int().default(0),
  satisfaction: z
    .object({ rating: z.enum(SATISFACTION_RATINGS), comment: z.string().nullable(), at: instant })
    .nullable()
    .default(null),
  flags: z.array(z.enum(TICKET_FLAGS)),
  duplicateOf: z.number().int().nullable().default(null),
  // Tickets stored before the follow-up throttle held anything read as holding nothing.
  followUpWindow: z
    .object({ until: instant, held: z.array(z.number().int()) })
    .nullable()
    .default(null),
  messageCount: z.number().int(),
  // Tickets stored before assignment existed are unassigned.
  assignee: z.string().nullable().default(null),
  version: z.number().int(),
}) satisfies z.ZodType<Ticket>;

const MessageSchema = z.object({
  ticketNumber: z.number().int(),
  sequence: z.number().int(),
  at: instant,
  direction: z.enum(['inbound', 'outbound']),
  author: z.enum(MESSAGE_AUTHORS),
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
      // Attachments stored before files were kept outside the raw mail: no hash, not inline, nothing withheld.
      sha256: z.string().nullable().default(null),
      inline: z.boolean().default(false),
      withheld: z.enum(ATTACHMENT_WITHHOLDINGS).nullable().default(null),
    }),
  ),
  // Messages stored before these fields existed read as their closest meaning (legacyPurpose).
  purpose: z.enum(MESSAGE_PURPOSES as [MessagePurpose, ...MessagePurpose[]]),
  contentKey: z.string().nullable().default(null),
  delivery: z
    .discriminatedUnion('status', [
      z.object({ status: z.literal('sent') }),
      z.object({ status: z.literal('failed'), code: z.string(), reason: z.string(), at: instant }),
    ])
    .nullable()
    .default(null),
  declinedParticipants: z
    .array(z.object({ address: z.string(), reason: z.enum(PARTICIPANT_DECLINE_REASONS) }))
    .default([]),
  heldUntil: nullableInstant.default(null),
}) satisfies z.ZodType<TicketMessage>;

/**
 * What a message stored before `purpose` existed was for. Only customers' own words and
 * relayed replies are taken as customer-visible; any other outbound message is assumed
 * internal, since showing an agents' notice to a customer is the mistake that cannot be undone.
 */
const legacyPurpose = (item: Item): MessagePurpose => {
  if (item['direction'] === 'inbound') {
    if (item['author'] === 'agent') return 'agent-reply';
    return item['author'] === 'system' ? 'auto-reply' : 'customer-message';
  }
  return item['author'] === 'agent' ? 'agent-reply-relay' : 'agent-new-ticket';
};

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
  attachments: z
    .array(z.object({ key: z.string(), filename: z.string().nullable(), contentType: z.string(), size: z.number() }))
    .optional(),
}) satisfies z.ZodType<OutgoingMail>;

const OwedMailSchema = z.object({
  // Mail owed before effects had kinds was always mail.
  kind: z.literal('mail').default('mail'),
  purpose: z.enum(OUTBOUND_PURPOSES),
  ticketNumber: z.number().int().nullable(),
  sequence: z.number().int().nullable(),
  author: z.enum(['system', 'agent']),
  mail: OutgoingMailSchema,
});

const OwedTimersSchema = z.object({
  kind: z.literal('timers'),
  ticketNumber: z.number().int(),
  scheduled: z
    .object({ name: z.string().regex(SCHEDULE_NAME), at: z.number(), timeZone: z.string(), firing: TimerFiringSchema })
    .nullable(),
});

const OwedAttachmentsSchema = z.object({
  kind: z.literal('attachments'),
  ticketNumber: z.number().int(),
  rawKey: z.string(),
  files: z.array(z.object({ key: z.string(), sha256: z.string(), contentType: z.string() })),
});

// Timers and attachments first: mail owed before effects had kinds has no kind, and reads as mail.
const OwedEffectSchema = z.union([
  OwedTimersSchema,
  OwedAttachmentsSchema,
  OwedMailSchema,
]) satisfies z.ZodType<OwedEffect>;

const ReceiptSchema = z.object({
  key: z.string(),
  at: instant,
  outcome: z.enum(['created', 'threaded', 'quarantined', 'ignored']),
  ticketNumber: z.number().int().nullable(),
  owed: z.array(OwedEffectSchema),
  completedAt: nullableInstant.default(null),
  leaseUntil: nullableInstant,
  fingerprint: z.string().optional(),
}) satisfies z.ZodType<InboundReceipt>;

/** The lease a receipt stored before leases existed had: its first attempt's, which began at `at`. */
export const LEGACY_LEASE_MS = 2 * 60_000;

/**
 * Receipts stored before effects had kinds owed `pendingMail` (or, older still, nothing), and
 * their lease was implied by their time.
 */
const upgradeReceipt = (item: Item): Item => {
  const owed = item['owed'] ?? item['pendingMail'] ?? [];
  const at = typeof item['at'] === 'string' ? Date.parse(item['at']) : Number.NaN;
  const leaseUntil =
    'leaseUntil' in item ? item['leaseUntil'] : Number.isNaN(at) ? null : new Date(at + LEGACY_LEASE_MS).toISOString();
  return { ...item, owed, leaseUntil };
};

const ThreadClaimSchema = z.object({
  key: z.string(),
  ticketNumber: z.number().int(),
  claimedAt: instant,
  expiresAt: instant,
}) satisfies z.ZodType<ThreadClaim>;

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
export const readMessage = (item: Item): TicketMessage =>
  readItem('message', MessageSchema, 'purpose' in item ? item : { ...item, purpose: legacyPurpose(item) });

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
export const readReceipt = (item: Item): InboundReceipt => readItem('receipt', ReceiptSchema, upgradeReceipt(item));

/** `expiresAtEpoch` is the DynamoDB TTL attribute: epoch seconds, as TTL requires. */
export const threadClaimItem = (claim: ThreadClaim): Item => ({
  ...threadClaimKey(claim.key),
  entity: 'threadClaim' satisfies Entity,
  ...claim,
  expiresAtEpoch: Math.ceil(Date.parse(claim.expiresAt) / 1000),
});
export const readThreadClaim = (item: Item): ThreadClaim => readItem('threadClaim', ThreadClaimSchema, item);

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
