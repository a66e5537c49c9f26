import { randomUUID } from 'node:crypto';
import type { OutgoingMail } from '../../lib/application/ports/mailer.ts';
import type { Customer, InboundReceipt, OwedMail, QuarantineRecord } from '../../lib/application/ports/ticket-store.ts';
import type { Ticket, TicketMessage } from '../../lib/domain/ticket/ticket.ts';

/** A new ticket as the ingest use case would build it; override what the test is about. */
export const aTicket = (number: number, overrides: Partial<Ticket> = {}): Ticket => ({
  number,
  queue: 'servicedesk',
  requester: 'ana@example.com',
  requesterName: 'Ana Souza',
  participants: [],
  subject: 'Printer on fire',
  normalizedSubject: 'printer on fire',
  status: 'new',
  priority: 'normal',
  plan: null,
  region: null,
  channel: 'email',
  locale: 'pt-BR',
  createdAt: '2025-03-03T12:00:00.000Z',
  updatedAt: '2025-03-03T12:00:00.000Z',
  lastCustomerMessageAt: '2025-03-03T12:00:00.000Z',
  firstResponseDue: '2025-03-03T16:00:00.000Z',
  resolutionDue: null,
  firstRespondedAt: null,
  resolvedAt: null,
  closedAt: null,
  pauses: [],
  escalationLevel: 0,
  timerLog: [],
  timerFirings: 0,
  satisfaction: null,
  flags: [],
  duplicateOf: null,
  followUpWindow: null,
  messageCount: 1,
  assignee: null,
  version: 1,
  ...overrides,
});

export const aMessage = (
  ticketNumber: number,
  sequence: number,
  overrides: Partial<TicketMessage> = {},
): TicketMessage => ({
  ticketNumber,
  sequence,
  at: '2025-03-03T12:00:00.000Z',
  direction: 'inbound',
  author: 'requester',
  from: 'ana@example.com',
  to: ['servicedesk@support.example'],
  cc: [],
  subject: 'Printer on fire',
  text: 'It is on fire.',
  messageId: `<${randomUUID()}@mail.example.com>`,
  inReplyTo: null,
  references: [],
  rawKey: `inbound/${randomUUID()}`,
  attachments: [],
  purpose: 'customer-message',
  contentKey: null,
  delivery: null,
  declinedParticipants: [],
  heldUntil: null,
  ...overrides,
});

/** What ingest sends an outbound message as: from the queue's address, with a Message-ID as SES would assign it. */
export const anOutboundMessage = (
  ticketNumber: number,
  sequence: number,
  overrides: Partial<TicketMessage> = {},
): TicketMessage =>
  aMessage(ticketNumber, sequence, {
    at: '2025-03-03T12:00:02.000Z',
    direction: 'outbound',
    author: 'system',
    from: 'servicedesk@support.example',
    to: ['ana@example.com'],
    subject: `[#${ticketNumber}] Printer on fire`,
    text: 'We received your request.',
    messageId: `<${randomUUID()}@email.amazonses.com>`,
    rawKey: null,
    purpose: 'acknowledgement',
    delivery: { status: 'sent' },
    ...overrides,
  });

/** An acknowledgement with every optional field in use, one of them explicitly undefined (as spreads leave them). */
export const anOutgoingMail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
  from: { address: 'servicedesk@support.example', name: 'Service Desk' },
  to: [{ address: 'ana@example.com', name: null }],
  cc: [{ address: 'bruno@example.com' }],
  replyTo: undefined,
  subject: '[#1000] Printer on fire',
  text: 'We received your request.',
  html: '<p>We received your request.</p>',
  inReplyTo: '<first@mail.example.com>',
  references: ['<first@mail.example.com>'],
  autoSubmitted: 'auto-replied',
  headers: { 'X-Atende-Ticket': '1000' },
  ...overrides,
});

export const anOwedMail = (ticketNumber: number, sequence: number, overrides: Partial<OwedMail> = {}): OwedMail => ({
  kind: 'mail',
  purpose: 'acknowledgement',
  ticketNumber,
  sequence,
  author: 'system',
  mail: anOutgoingMail(),
  ...overrides,
});

export const aReceipt = (overrides: Partial<InboundReceipt> = {}): InboundReceipt => ({
  key: `ses-${randomUUID()}`,
  at: '2025-03-03T12:00:01.000Z',
  outcome: 'created',
  ticketNumber: null,
  owed: [],
  completedAt: null,
  leaseUntil: null,
  ...overrides,
});

export const aCustomer = (key: string, overrides: Partial<Customer> = {}): Customer => ({
  key,
  plan: 'gold',
  locale: 'es',
  region: 'latam',
  suspended: false,
  suspendedAt: null,
  lastAcknowledgedAt: null,
  lastConductNoticeAt: null,
  updatedAt: '2025-03-03T12:00:00.000Z',
  ...overrides,
});

export const aQuarantineRecord = (overrides: Partial<QuarantineRecord> = {}): QuarantineRecord => ({
  key: `ses-${randomUUID()}`,
  reason: 'inbound.unparsable',
  rawKey: `inbound/${randomUUID()}`,
  at: '2025-03-03T12:00:00.000Z',
  details: { size: 1234 },
  ...overrides,
});

/** A unique requester address, so tests sharing a table do not see each other's tickets. */
export const aRequester = (): string => `customer-${randomUUID().slice(0, 8)}@example.com`;
