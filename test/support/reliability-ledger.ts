import type { RecordingMailer } from '../../lib/adapters/memory/recording-mailer.ts';
import type { QuarantineRecord, TicketStore } from '../../lib/application/ports/ticket-store.ts';
import type { Policy } from '../../lib/domain/policy/policy-schema.ts';
import type { MessagePurpose } from '../../lib/domain/ticket/message-purpose.ts';
import type { Ticket, TicketMessage } from '../../lib/domain/ticket/ticket.ts';
import type { GeneratedKind, GeneratedMail } from './generated-mail.ts';

/**
 * The reliability suite's books: after a run, where every delivered mail ended up (on which
 * ticket, or in quarantine), and whether every mail atende decided to send was sent once and
 * recorded once. Read from the store and the mailer after the run, never from the results the
 * run returned: a redelivery answers "duplicate", the store says what happened.
 */

/** What each kind of generated mail must be stored as on its ticket. */
const STORED_AS: Readonly<Record<GeneratedKind, MessagePurpose | null>> = {
  new: 'customer-message',
  'same-subject': 'customer-message',
  'reply-at-once': 'customer-message',
  'reply-first': 'customer-message',
  overtaken: 'customer-message',
  reply: 'customer-message',
  tagged: 'customer-message',
  'auto-reply': 'auto-reply',
  bounce: 'bounce',
  'stray-auto-reply': null,
  'stray-bounce': null,
  spam: null,
};

export interface StockedTicket {
  readonly ticket: Ticket;
  readonly messages: readonly TicketMessage[];
}

export interface Stock {
  readonly tickets: readonly StockedTicket[];
  readonly quarantine: readonly QuarantineRecord[];
  /** Message-IDs of every mail the mailer sent (the SES side), in order. */
  readonly sent: readonly string[];
  /** Receipts of the delivered mail that still owe something (none may, after a run). */
  readonly owing: readonly string[];
}

/**
 * Everything the store holds after a run (every queue's tickets with their messages, the
 * quarantine, the receipts of the delivered mail) and what was sent.
 */
export async function takeStock(
  store: TicketStore,
  policy: Policy,
  mailer: RecordingMailer,
  delivered: readonly GeneratedMail[],
): Promise<Stock> {
  const tickets: StockedTicket[] = [];
  for (const queue of policy.queues) {
    for (const ticket of await store.ticketsOfQueue(queue.name)) {
      tickets.push({ ticket, messages: await store.listMessages(ticket.number) });
    }
  }
  const owing: string[] = [];
  for (const mail of delivered) {
    const receipt = await store.getReceipt(mail.key);
    if (receipt === null || receipt.owed.length > 0) owing.push(mail.key);
  }
  return {
    tickets,
    quarantine: await store.listQuarantine(),
    sent: mailer.sent.map((mail) => mail.messageId),
    owing,
  };
}

export interface Accounts {
  /** Mails delivered (each counted once, however often it was delivered). */
  readonly messages: number;
  readonly tickets: number;
  readonly quarantined: number;
  /** Delivered mails found nowhere, or a mail decided on but never settled. */
  readonly lost: number;
  /** A thread on more than one ticket, or a mail stored twice. */
  readonly duplicatedTickets: number;
  /** Mail sent that no ticket records: sent twice, once for nothing. */
  readonly duplicatedMail: number;
  readonly mailSent: number;
  /** Mail recorded as refused for good (`delivery.status: 'failed'`). */
  readonly mailFailed: number;
  /** Everything that is not as it must be, one line each; empty when the books balance. */
  readonly problems: readonly string[];
}

export interface AccountingOptions {
  /** Mail the mailer sent but whose answer was lost (the crash window): sent again by the retry, so recorded once under the retry's id. */
  readonly unrecordedSends?: ReadonlySet<string>;
}

/**
 * Balances the books of a run in which `delivered` were ingested (each at least once):
 * - every delivered mail is in exactly one place: on its thread's ticket, stored as its kind
 *   requires, or quarantined with the reason its kind requires;
 * - one ticket per thread, no ticket that no thread opened, distinct ticket numbers;
 * - every sequence a ticket reserved is a stored message (no owed mail left unsettled), and
 *   every ticket has one acknowledgement and one agents' notification, sent or refused for good;
 * - every mail sent is recorded on its ticket once, and every mail recorded as sent was sent:
 *   the only sends no ticket records are those whose answer was lost (`unrecordedSends`).
 */
export function balance(stock: Stock, delivered: readonly GeneratedMail[], options: AccountingOptions = {}): Accounts {
  const problems: string[] = stock.owing.map((key) => `${key} has no receipt, or its receipt still owes mail`);
  const where = new Map<string, { ticket: number; message: TicketMessage }[]>();
  for (const { ticket, messages } of stock.tickets) {
    for (const message of messages) {
      if (message.direction !== 'inbound' || message.rawKey === null) continue;
      const key = message.rawKey.replace(/^inbound\//, '');
      where.set(key, [...(where.get(key) ?? []), { ticket: ticket.number, message }]);
    }
  }
  const quarantined = new Map<string, QuarantineRecord[]>();
  for (const record of stock.quarantine) quarantined.set(record.key, [...(quarantined.get(record.key) ?? []), record]);

  let lost = stock.owing.length;
  let duplicatedTickets = 0;
  const threadTickets = new Map<number, Set<number>>();
  for (const mail of delivered) {
    const onTickets = where.get(mail.key) ?? [];
    const inQuarantine = quarantined.get(mail.key) ?? [];
    const places = onTickets.length + inQuarantine.length;
    if (places === 0) {
      lost += 1;
      problems.push(`${mail.key} (${mail.kind}) is nowhere`);
      continue;
    }
    if (places > 1) {
      duplicatedTickets += 1;
      problems.push(`${mail.key} (${mail.kind}) is in ${places} places`);
    }
    if (mail.quarantine !== null) {
      if (inQuarantine[0]?.reason !== mail.quarantine)
        problems.push(`${mail.key} (${mail.kind}) should be quarantined as ${mail.quarantine}`);
      continue;
    }
    const placed = onTickets[0];
    if (placed === undefined) {
      problems.push(`${mail.key} (${mail.kind}) was quarantined as ${inQuarantine[0]?.reason}`);
      continue;
    }
    if (placed.message.purpose !== STORED_AS[mail.kind])
      problems.push(`${mail.key} (${mail.kind}) is stored as ${placed.message.purpose}`);
    if (mail.thread !== null)
      threadTickets.set(mail.thread, new Set([...(threadTickets.get(mail.thread) ?? []), placed.ticket]));
  }

  const ticketThreads = new Map<number, number[]>();
  for (const [thread, numbers] of threadTickets) {
    if (numbers.size > 1) {
      duplicatedTickets += numbers.size - 1;
      problems.push(`thread ${thread} is on tickets ${[...numbers].join(', ')}`);
    }
    for (const number of numbers) ticketThreads.set(number, [...(ticketThreads.get(number) ?? []), thread]);
  }
  const numbers = stock.tickets.map(({ ticket }) => ticket.number);
  if (new Set(numbers).size !== numbers.length) problems.push(`ticket numbers repeat: ${numbers.join(', ')}`);

  const recordedSent: string[] = [];
  let mailFailed = 0;
  for (const { ticket, messages } of stock.tickets) {
    const threads = ticketThreads.get(ticket.number) ?? [];
    if (threads.length !== 1) problems.push(`ticket ${ticket.number} holds threads [${threads.join(', ')}]`);
    const sequences = new Set(messages.map((message) => message.sequence));
    if (messages.length !== ticket.messageCount || sequences.size !== messages.length) {
      lost += ticket.messageCount - sequences.size;
      problems.push(`ticket ${ticket.number} reserved ${ticket.messageCount} messages and holds ${sequences.size}`);
    }
    for (const purpose of ['acknowledgement', 'agent-new-ticket'] as const) {
      const count = messages.filter((message) => message.purpose === purpose).length;
      if (count !== 1) problems.push(`ticket ${ticket.number} has ${count} × ${purpose}`);
    }
    for (const message of messages) {
      if (message.direction !== 'outbound') continue;
      if (message.delivery?.status === 'failed') mailFailed += 1;
      else if (message.messageId === null) problems.push(`ticket ${ticket.number} #${message.sequence} has no id`);
      else recordedSent.push(message.messageId);
    }
  }

  const sent = new Set(stock.sent);
  const recorded = new Set(recordedSent);
  if (recorded.size !== recordedSent.length) problems.push('a sent mail is recorded twice');
  for (const id of recorded) if (!sent.has(id)) problems.push(`${id} is recorded as sent but was never sent`);
  const unrecorded = stock.sent.filter((id) => !recorded.has(id));
  const unexplained = unrecorded.filter((id) => !options.unrecordedSends?.has(id));
  for (const id of unexplained) problems.push(`${id} was sent but no ticket records it`);

  return {
    messages: delivered.length,
    tickets: stock.tickets.length,
    quarantined: stock.quarantine.length,
    lost,
    duplicatedTickets,
    duplicatedMail: unrecorded.length,
    mailSent: stock.sent.length,
    mailFailed,
    problems,
  };
}

/**
 * What a run did, independent of ticket numbers, Message-IDs and which of two simultaneous mails
 * won: per thread, the mails on its ticket (by key and purpose) and the mail it owed (by purpose,
 * whether to agents or customers, and how it went); the quarantine by key and reason. Two runs
 * of the same mail must describe alike.
 */
export function describeRun(stock: Stock, delivered: readonly GeneratedMail[], policy: Policy) {
  const threadOf = new Map(delivered.map((mail) => [mail.key, mail.thread]));
  const agents = new Set(policy.queues.map((queue) => queue.agents));
  const threads = stock.tickets
    .map(({ ticket, messages }) => {
      const inbound = messages.filter((message) => message.direction === 'inbound');
      const thread = threadOf.get(inbound[0]?.rawKey?.replace(/^inbound\//, '') ?? '') ?? null;
      return {
        thread,
        status: ticket.status,
        inbound: inbound.map((message) => `${message.rawKey}:${message.purpose}`).sort(),
        outbound: messages
          .filter((message) => message.direction === 'outbound')
          .map(
            (message) =>
              `${message.purpose}→${message.to.some((to) => agents.has(to)) ? 'agents' : 'customer'}:${message.delivery?.status ?? 'sent'}`,
          )
          .sort(),
      };
    })
    .sort((a, b) => (a.thread ?? -1) - (b.thread ?? -1));
  return {
    threads,
    quarantine: stock.quarantine.map((record) => `${record.key}:${record.reason}`).sort(),
    mailSent: stock.sent.length,
  };
}
