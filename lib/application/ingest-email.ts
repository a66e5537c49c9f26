import { AtendeError, isAtendeError } from '../domain/atende-error.ts';
import { checkConduct } from '../domain/mail/conduct-check.ts';
import type { InboundMail } from '../domain/mail/inbound-mail.ts';
import { detectLanguage } from '../domain/mail/language-detection.ts';
import {
  asksNotToBeAutoAnswered,
  classifyInboundMail,
  isNoReplyAddress,
  type MailClassification,
} from '../domain/mail/mail-classification.ts';
import type { MailLimits } from '../domain/mail/mail-limits.ts';
import { parseInboundMail } from '../domain/mail/parse-inbound-mail.ts';
import { inferPriority } from '../domain/mail/priority-inference.ts';
import { stripQuotedReply } from '../domain/mail/quoted-reply.ts';
import { maskSecrets } from '../domain/mail/secret-redaction.ts';
import { findTicketTag, normalizeSubject } from '../domain/mail/subject.ts';
import type { Policy, Queue } from '../domain/policy/policy-schema.ts';
import { bouncedMessageReferences } from '../domain/routing/bounced-message.ts';
import { type InboundVerdicts, verdictRejection } from '../domain/routing/inbound-verdicts.ts';
import {
  isStaff,
  planFor,
  queueForRecipients,
  regionFor,
  supportAddresses,
} from '../domain/routing/support-routing.ts';
import type { SlaClock } from '../domain/sla/sla-schedule.ts';
import {
  acknowledgementAllowed,
  conductNoticeDue,
  isThrottledFollowUp,
} from '../domain/ticket/acknowledgement-rules.ts';
import { readAgentReply } from '../domain/ticket/agent-commands.ts';
import { type Customer, newCustomer } from '../domain/ticket/customer.ts';
import { mayAddToTicket, openTicketWithSubject, type ThreadedVia } from '../domain/ticket/threading.ts';
import type { ConductFlag, MessageAuthor, Ticket, TicketMessage } from '../domain/ticket/ticket.ts';
import { openTicket, recordAgentReply, recordCustomerMessage } from '../domain/ticket/ticket-lifecycle.ts';
import { deliverPendingMail, type PendingMailDelivery } from './deliver-pending-mail.ts';
import { NotificationMail, type ThreadHeaders } from './notification-mail.ts';
import type { Clock } from './ports/clock.ts';
import type { Mailer } from './ports/mailer.ts';
import type { NotificationRenderer } from './ports/notification-renderer.ts';
import type { RawMailStore } from './ports/raw-mail-store.ts';
import type { InboundReceipt, PendingMail, ReceiptOutcome, TicketStore } from './ports/ticket-store.ts';

/** Message text kept on the ticket; the raw mail keeps all of it (a DynamoDB item holds at most 400 KB). */
export const STORED_TEXT_LIMIT = 60_000;
/** Subject characters kept: RFC 5322 §2.1.1 lines stop at 998; a 130 KB subject (seen in the wild) is an attack or a bug. */
export const STORED_SUBJECT_LIMIT = 998;
/** How many times a message is re-applied to a ticket that changed under it before giving up. */
const VERSION_CONFLICT_ATTEMPTS = 5;
/**
 * A redelivered event whose first attempt is younger than this may still be sending its mail:
 * it is retried later rather than resumed, so two deliveries never send the same mail.
 */
export const RESUME_PENDING_AFTER_MS = 2 * 60_000;

export interface IngestEmailDeps {
  readonly policy: Policy;
  readonly sla: SlaClock;
  readonly store: TicketStore;
  readonly rawMail: RawMailStore;
  readonly mailer: Mailer;
  readonly renderer: NotificationRenderer;
  readonly clock: Clock;
  readonly limits?: Partial<MailLimits>;
  /** The domain of Message-IDs this deployment makes itself (local stack), for loop detection. */
  readonly ownMessageIdDomain?: string;
}

/** One inbound mail as SES (or the local SMTP listener) hands it over. */
export interface InboundEmail {
  /** SES's `mail.messageId`: the idempotency key of the whole processing. */
  readonly receiptKey: string;
  /** Where the raw message is in the raw-mail store. */
  readonly rawKey: string;
  /** Envelope recipients (SES `receipt.recipients`). */
  readonly recipients: readonly string[];
  /** Envelope sender (SES `mail.source`); `''` for the null reverse-path. */
  readonly envelopeSender?: string | null;
  readonly verdicts?: InboundVerdicts;
  /**
   * The SMTP AUTH identity the mail was submitted with (the local listener's ATENDE_SMTP_USERS),
   * lower-cased; absent on SES, which authenticates senders by SPF, DKIM and DMARC instead.
   */
  readonly submittedBy?: string | null;
}

export type IngestResult =
  | { readonly outcome: 'created'; readonly ticketNumber: number; readonly sent: readonly string[] }
  | {
      readonly outcome: 'threaded';
      readonly ticketNumber: number;
      readonly via: ThreadedVia;
      readonly sent: readonly string[];
    }
  | { readonly outcome: 'relayed'; readonly ticketNumber: number; readonly sent: readonly string[] }
  | { readonly outcome: 'recorded'; readonly ticketNumber: number; readonly kind: 'bounce' | 'auto-reply' }
  | { readonly outcome: 'quarantined'; readonly reason: string }
  | { readonly outcome: 'duplicate'; readonly ticketNumber: number | null; readonly sent: readonly string[] };

interface Found {
  readonly ticket: Ticket;
  readonly via: ThreadedVia;
}

/**
 * Turns one inbound mail into a ticket, or adds it to its ticket, and sends what that calls
 * for: the acknowledgement, the agents' notification, an agent's reply relayed to the customer.
 *
 * Idempotent: the SES messageId is written as a receipt in the same transaction as the ticket
 * change, together with the mail still to send. A redelivery finds the receipt, sends only
 * what a failed first attempt left unsent, and changes nothing else. Mail that cannot be
 * processed becomes a quarantine record; the raw message is never touched.
 */
export async function ingestEmail(deps: IngestEmailDeps, inbound: InboundEmail): Promise<IngestResult> {
  return new EmailIngestion(deps, inbound).run();
}

class EmailIngestion {
  private readonly now: number;
  private readonly at: string;
  private readonly notifications: NotificationMail;
  /**
   * Whether the inbound message's Message-ID goes into the index. A different mail that reuses
   * an id already indexed (a broken client, or an attempt to hijack a thread) is stored without it.
   */
  private claimMessageId = true;

  constructor(
    private readonly deps: IngestEmailDeps,
    private readonly inbound: InboundEmail,
  ) {
    this.now = deps.clock.now();
    this.at = new Date(this.now).toISOString();
    this.notifications = new NotificationMail(deps.policy, deps.renderer);
  }

  async run(): Promise<IngestResult> {
    const rejection = verdictRejection(this.inbound.verdicts ?? {});
    if (rejection) return this.quarantine(rejection, { verdicts: JSON.stringify(this.inbound.verdicts ?? {}) });

    let mail: InboundMail;
    try {
      const raw = await this.deps.rawMail.get(this.inbound.rawKey, { maxBytes: this.deps.limits?.maxRawBytes });
      const parsed = await parseInboundMail(Buffer.from(raw), this.deps.limits);
      mail =
        parsed.subject.length > STORED_SUBJECT_LIMIT
          ? { ...parsed, subject: `${parsed.subject.slice(0, STORED_SUBJECT_LIMIT)}…` }
          : parsed;
    } catch (error) {
      if (isAtendeError(error) && error.code.startsWith('mail.'))
        return this.quarantine(`inbound.${error.code.slice('mail.'.length)}`, { error: error.message });
      throw error;
    }

    const classification = classifyInboundMail(mail, {
      ownAddresses: supportAddresses(this.deps.policy),
      ownMessageIdDomain: this.deps.ownMessageIdDomain,
      envelopeSender: this.inbound.envelopeSender,
    });
    const sender = mail.from?.address;
    if (classification.kind === 'bounce') return this.recordBounce(mail, classification);
    if (classification.kind === 'own-mail')
      return this.quarantine('inbound.ownMail', { classification: classification.reason });
    if (!sender?.includes('@')) return this.quarantine('inbound.noSender', { classification: classification.reason });

    const queue =
      queueForRecipients(this.deps.policy, [
        ...this.inbound.recipients,
        ...mail.to.map((a) => a.address),
        ...mail.cc.map((a) => a.address),
      ]) ?? this.deps.policy.queues[0]!;
    const staff = isStaff(this.deps.policy, queue, sender);
    const lookup = await this.findTicket(mail, sender, staff);

    if (classification.kind === 'auto-reply') {
      if (lookup.found) return this.recordQuietly(lookup.found.ticket, mail, sender, 'auto-reply');
      // RFC 3834 §5: auto-generated mail (a monitoring alert) starts work and may open a ticket, never answered;
      // an auto-replied one (out of office) answers something and means nothing on its own.
      if (!isAutoGenerated(mail))
        return this.quarantine('inbound.autoReply', { classification: classification.reason, from: sender });
    }
    if (lookup.found && staff && lookup.found.ticket.requester !== sender)
      return this.relayAgentReply(lookup.found.ticket, mail, sender);
    if (lookup.found) return this.addCustomerMessage(lookup.found, mail, sender, classification);
    return this.openNewTicket(mail, sender, queue, classification, lookup.customer);
  }

  /**
   * Threading, in order: In-Reply-To / References against the Message-ID index, our subject
   * tag, then the sender's open ticket with the same normalised subject. A ticket the sender
   * may not add to is ignored, as if it had not been found.
   */
  private async findTicket(
    mail: InboundMail,
    sender: string,
    staff: boolean,
  ): Promise<{ found: Found | null; customer: Customer | null | undefined }> {
    const { store, policy } = this.deps;
    const ids = threadIds(mail);
    let customer: Customer | null | undefined;
    const accept = async (number: number | null, via: ThreadedVia): Promise<Found | null> => {
      if (number === null) return null;
      const ticket = await store.getTicket(number);
      return ticket && ticket.status !== 'closed' && mayAddToTicket(ticket, sender, staff) ? { ticket, via } : null;
    };

    if (ids.length > 0) {
      const context = await store.replyContext({ messageIds: ids, customerKey: sender });
      customer = context.customer;
      const found = await accept(context.ticketNumber, 'message-id');
      if (found) return { found, customer };
    }
    const tagged = await accept(findTicketTag(mail.subject, policy.brand.tag), 'subject-tag');
    if (tagged) return { found: tagged, customer };
    if (staff) return { found: null, customer };

    const overview = await store.requesterOverview(sender);
    const sameSubject = openTicketWithSubject(overview.openTickets, normalizeSubject(mail.subject, policy.brand.tag));
    return { found: sameSubject ? { ticket: sameSubject, via: 'subject' } : null, customer: overview.customer };
  }

  private async openNewTicket(
    mail: InboundMail,
    sender: string,
    queue: Queue,
    classification: MailClassification,
    knownCustomer: Customer | null | undefined,
  ): Promise<IngestResult> {
    const { policy, store, sla } = this.deps;
    const customer = knownCustomer === undefined ? await store.getCustomer(sender) : knownCustomer;
    const content = this.readContent(mail);
    const locale =
      customer?.locale && policy.languages.offered.includes(customer.locale)
        ? customer.locale
        : detectLanguage(`${mail.subject}\n${content.text}`, {
            offered: policy.languages.offered,
            fallback: policy.languages.default,
          });
    const participants = this.participantsOf(mail, sender, queue);
    const subject = stripOurTags(mail.subject, policy.brand.tag) || '(no subject)';

    if (customer?.suspended) return this.answerSuspended(mail, sender, queue, customer, locale, subject);

    const mayAcknowledge =
      classification.kind === 'customer' &&
      !isNoReplyAddress(sender) &&
      !asksNotToBeAutoAnswered(mail) &&
      acknowledgementAllowed(customer, this.now);
    const citeConduct = mayAcknowledge && conductNoticeDue(policy, customer, content.flags, this.now);
    const number = await store.allocateTicketNumber();
    const ticket = openTicket(
      {
        number,
        queue: queue.name,
        requester: sender,
        requesterName: mail.from?.name ?? null,
        participants,
        subject,
        normalizedSubject: normalizeSubject(subject, policy.brand.tag),
        priority: inferPriority(policy, { subject: mail.subject, text: content.text, language: locale }),
        plan: planFor(policy, sender, customer),
        region: regionFor(policy, sender, customer),
        channel: 'email',
        locale,
        flags: content.flags,
        receivedAt: this.now,
        firstRespondedAt: mayAcknowledge && policy.sla.firstResponseIs === 'acknowledgement' ? this.now : null,
      },
      sla,
    );
    const message = this.inboundMessage(ticket, 1, mail, sender, 'requester', content.text);
    const thread = replyThread(mail);
    const pending: PendingMail[] = [];
    if (mayAcknowledge) {
      pending.push(
        this.pending(
          'acknowledgement',
          ticket,
          pending.length + 2,
          'system',
          this.notifications.acknowledgement(ticket, thread, {
            maskedSecrets: content.maskedKinds,
            conductRules: citeConduct ? rulesIn(policy, ticket.locale) : [],
            duplicateOf: null,
          }),
        ),
      );
    }
    pending.push(
      this.pending(
        'agent-new-ticket',
        ticket,
        pending.length + 2,
        'system',
        this.notifications.toAgents('agent-new-ticket', ticket, thread, {
          message: { from: sender, fromName: mail.from?.name ?? null, text: content.text, at: this.at },
          flags: ticket.flags,
        }),
      ),
    );
    const nextCustomer: Customer = {
      ...(customer ?? newCustomer(sender, this.at)),
      locale,
      lastAcknowledgedAt: mayAcknowledge ? this.at : (customer?.lastAcknowledgedAt ?? null),
      lastConductNoticeAt: citeConduct ? this.at : (customer?.lastConductNoticeAt ?? null),
      updatedAt: this.at,
    };
    const receipt = this.receipt('created', number, pending);
    try {
      // The mail to send takes the next sequences on the ticket now, so a reply arriving meanwhile cannot take them.
      await store.createTicket({
        ticket: { ...ticket, messageCount: 1 + pending.length },
        firstMessage: message,
        receipt,
        customer: nextCustomer,
      });
    } catch (error) {
      if (isAtendeError(error, 'store.duplicateReceipt')) return this.resumeDuplicate();
      if (isAtendeError(error, 'store.duplicateMessageId') && this.claimMessageId) {
        return (
          (await this.sameMailAgain(mail, sender)) ??
          this.openNewTicket(mail, sender, queue, classification, knownCustomer)
        );
      }
      if (isAtendeError(error, 'store.itemTooLarge'))
        return this.quarantine('inbound.tooLargeToStore', { error: error.message });
      throw error;
    }
    return { outcome: 'created', ticketNumber: number, sent: await this.deliver(number, pending) };
  }

  /** The requester or a participant wrote again. Close follow-ups are recorded and wake nobody. */
  private async addCustomerMessage(
    found: Found,
    mail: InboundMail,
    sender: string,
    classification: MailClassification,
  ): Promise<IngestResult> {
    const { policy, sla } = this.deps;
    const content = this.readContent(mail);
    return this.applyToTicket(found.ticket, (ticket) => {
      const throttled = isThrottledFollowUp(policy, ticket, this.now);
      const flags: ConductFlag[] = throttled ? [...content.flags, 'throttled-follow-up'] : content.flags;
      const author: MessageAuthor = ticket.requester === sender ? 'requester' : 'participant';
      const queue = this.queueOf(ticket);
      const next = recordCustomerMessage(
        ticket,
        { at: this.now, participants: author === 'requester' ? this.participantsOf(mail, sender, queue) : [], flags },
        sla,
      );
      const message = this.inboundMessage(next, ticket.messageCount + 1, mail, sender, author, content.text);
      const pending: PendingMail[] = [];
      if (!throttled && classification.kind !== 'auto-reply') {
        pending.push(
          this.pending(
            'agent-customer-reply',
            next,
            next.messageCount + 1,
            'system',
            this.notifications.toAgents('agent-customer-reply', next, replyThread(mail), {
              message: { from: sender, fromName: mail.from?.name ?? null, text: content.text, at: this.at },
              flags,
            }),
          ),
        );
      }
      return {
        next,
        message,
        pending,
        result: (sent) => ({ outcome: 'threaded', ticketNumber: next.number, via: found.via, sent }),
      };
    });
  }

  /** A staff member answered a ticket: their new text goes to the requester and participants from the queue's address. */
  private async relayAgentReply(found: Ticket, mail: InboundMail, sender: string): Promise<IngestResult> {
    const { policy, sla, store } = this.deps;
    const reply = readAgentReply(stripQuotedReply(mail.text));
    const masked = maskSecrets(reply.text);
    const messages = await store.listMessages(found.number);
    const lastCustomerMessage = [...messages]
      .reverse()
      .find((message) => message.author === 'requester' || message.author === 'participant');
    const thread: ThreadHeaders = {
      inReplyTo: lastCustomerMessage?.messageId ?? null,
      references: messages
        .map((message) => message.messageId)
        .filter((id): id is string => id !== null)
        .slice(-20),
    };
    return this.applyToTicket(found, (ticket) => {
      const next = recordAgentReply(
        ticket,
        { at: this.now, status: reply.status, countsAsFirstResponse: policy.sla.firstResponseIs === 'agent-reply' },
        sla,
      );
      const message = this.inboundMessage(next, ticket.messageCount + 1, mail, sender, 'agent', truncate(masked.text));
      const relay = this.notifications.agentReplyRelay(next, thread, {
        from: sender,
        fromName: mail.from?.name ?? null,
        text: masked.text,
        at: this.at,
      });
      const pending = [this.pending('agent-reply-relay', next, next.messageCount + 1, 'agent', relay)];
      return { next, message, pending, result: (sent) => ({ outcome: 'relayed', ticketNumber: next.number, sent }) };
    });
  }

  /** An auto-reply that threads (an out-of-office answering our acknowledgement): kept on the ticket, nobody told. */
  private async recordQuietly(
    found: Ticket,
    mail: InboundMail,
    sender: string,
    kind: 'bounce' | 'auto-reply',
  ): Promise<IngestResult> {
    const content = this.readContent(mail);
    return this.applyToTicket(found, (ticket) => {
      const next: Ticket = { ...ticket, messageCount: ticket.messageCount + 1, updatedAt: this.at };
      const message = this.inboundMessage(next, ticket.messageCount + 1, mail, sender, 'system', content.text);
      return { next, message, pending: [], result: () => ({ outcome: 'recorded', ticketNumber: next.number, kind }) };
    });
  }

  /** A bounce never creates a ticket: it is kept on the ticket whose mail bounced, or quarantined. */
  private async recordBounce(mail: InboundMail, classification: MailClassification): Promise<IngestResult> {
    const raw = await this.deps.rawMail.get(this.inbound.rawKey, { maxBytes: this.deps.limits?.maxRawBytes });
    const references = bouncedMessageReferences(Buffer.from(raw));
    const ids = [...threadIds(mail), ...references.messageIds];
    let number = references.ticketNumber;
    if (number === null && ids.length > 0)
      number = (
        await this.deps.store.replyContext({ messageIds: ids, customerKey: mail.from?.address ?? 'mailer-daemon' })
      ).ticketNumber;
    const ticket = number === null ? null : await this.deps.store.getTicket(number);
    if (!ticket)
      return this.quarantine('inbound.unmatchedBounce', {
        classification: classification.reason,
        from: mail.from?.address ?? null,
      });
    return this.recordQuietly(ticket, mail, mail.from?.address ?? 'mailer-daemon', 'bounce');
  }

  /** A suspended customer's new mail: kept, not a ticket; they learn support is suspended (rate-limited like acknowledgements). */
  private async answerSuspended(
    mail: InboundMail,
    sender: string,
    queue: Queue,
    customer: Customer,
    locale: string,
    subject: string,
  ): Promise<IngestResult> {
    const result = await this.quarantine('inbound.suspendedCustomer', { from: sender });
    if (result.outcome === 'quarantined' && acknowledgementAllowed(customer, this.now) && !isNoReplyAddress(sender)) {
      // A stand-in ticket view: the notice has no ticket number to show, so 0 marks "none".
      const view = openTicket(
        {
          number: 0,
          queue: queue.name,
          requester: sender,
          requesterName: mail.from?.name ?? null,
          participants: [],
          subject,
          normalizedSubject: '',
          priority: this.deps.policy.priorities.default,
          plan: null,
          region: null,
          channel: 'email',
          locale,
          flags: [],
          receivedAt: this.now,
          firstRespondedAt: null,
        },
        this.deps.sla,
      );
      await this.deps.mailer.send(this.notifications.suspendedNotice(view, replyThread(mail)));
      await this.deps.store.saveCustomer({ ...customer, lastAcknowledgedAt: this.at, updatedAt: this.at });
    }
    return result;
  }

  /**
   * Read, change, write with the ticket's version as the condition; a concurrent change
   * makes us re-read and apply the message to the newer ticket.
   */
  private async applyToTicket(
    first: Ticket,
    change: (ticket: Ticket) => {
      next: Ticket;
      message: TicketMessage;
      pending: PendingMail[];
      result: (sent: readonly string[]) => IngestResult;
    },
  ): Promise<IngestResult> {
    let ticket = first;
    for (let attempt = 1; ; attempt++) {
      const { next, message, pending, result } = change(ticket);
      const receipt = this.receipt('threaded', ticket.number, pending);
      try {
        await this.deps.store.addMessage({
          ticket: { ...next, messageCount: next.messageCount + pending.length },
          expectedVersion: ticket.version,
          message,
          receipt,
        });
        return result(await this.deliver(ticket.number, pending));
      } catch (error) {
        if (isAtendeError(error, 'store.duplicateReceipt')) return this.resumeDuplicate();
        if (isAtendeError(error, 'store.duplicateMessageId') && this.claimMessageId) {
          const again = await this.sameMailAgain(message.messageId, message.from);
          if (again) return again;
          continue;
        }
        if (isAtendeError(error, 'store.itemTooLarge'))
          return this.quarantine('inbound.tooLargeToStore', { error: error.message });
        if (!isAtendeError(error, 'store.versionConflict') || attempt >= VERSION_CONFLICT_ATTEMPTS) throw error;
        const fresh = await this.deps.store.getTicket(ticket.number);
        if (!fresh)
          throw new AtendeError(
            'store.ticketNotFound',
            `Ticket ${ticket.number} disappeared while a message was added`,
            { cause: error },
          );
        ticket = fresh;
      }
    }
  }

  /**
   * The Message-ID is already on a ticket. From the same sender it is the same mail again (an
   * SMTP retry after a lost reply, one mail in two envelopes): it is recorded as seen and
   * nothing else happens. From anyone else, the caller stores the mail without claiming the id.
   */
  private async sameMailAgain(mailOrId: InboundMail | string | null, sender: string): Promise<IngestResult | null> {
    const messageId = typeof mailOrId === 'string' || mailOrId === null ? mailOrId : mailOrId.messageId;
    this.claimMessageId = false;
    if (messageId === null) return null;
    const number = await this.deps.store.ticketForMessageIds([messageId]);
    const earlier = number === null ? [] : await this.deps.store.listMessages(number);
    if (!earlier.some((message) => message.messageId === messageId && message.from === sender)) return null;
    try {
      await this.deps.store.recordReceipt(this.receipt('ignored', number, []));
    } catch (error) {
      if (!isAtendeError(error, 'store.duplicateReceipt')) throw error;
    }
    return { outcome: 'duplicate', ticketNumber: number, sent: [] };
  }

  private async deliver(
    ticketNumber: number,
    pending: readonly PendingMail[],
    decidedAt: string = this.at,
  ): Promise<string[]> {
    const delivery: PendingMailDelivery = { store: this.deps.store, mailer: this.deps.mailer };
    return deliverPendingMail(delivery, { ticketNumber, receiptKey: this.inbound.receiptKey, pending, decidedAt });
  }

  /**
   * The event was processed before. Mail the first attempt left unsent is sent now, unless
   * that attempt may still be running: then we ask to be retried later.
   */
  private async resumeDuplicate(): Promise<IngestResult> {
    const receipt = await this.deps.store.getReceipt(this.inbound.receiptKey);
    if (!receipt || receipt.pendingMail.length === 0 || receipt.completedAt !== null)
      return { outcome: 'duplicate', ticketNumber: receipt?.ticketNumber ?? null, sent: [] };
    if (this.now - Date.parse(receipt.at) < RESUME_PENDING_AFTER_MS) {
      throw new AtendeError(
        'inbound.inProgress',
        `Inbound mail ${this.inbound.receiptKey} is still being processed; retry later`,
        { details: { receiptKey: this.inbound.receiptKey } },
      );
    }
    const sent = await this.deliver(receipt.pendingMail[0]!.ticketNumber, receipt.pendingMail, receipt.at);
    return { outcome: 'duplicate', ticketNumber: receipt.ticketNumber, sent };
  }

  private async quarantine(reason: string, details: Record<string, string | null>): Promise<IngestResult> {
    try {
      await this.deps.store.recordReceipt(this.receipt('quarantined', null, []));
    } catch (error) {
      if (isAtendeError(error, 'store.duplicateReceipt')) return this.resumeDuplicate();
      throw error;
    }
    await this.deps.store.putQuarantine({
      key: this.inbound.receiptKey,
      reason,
      rawKey: this.inbound.rawKey,
      at: this.at,
      details,
    });
    return { outcome: 'quarantined', reason };
  }

  /** The message text as stored (secrets masked, length capped) and what it says about the customer's conduct. */
  private readContent(mail: InboundMail): { text: string; flags: ConductFlag[]; maskedKinds: string[] } {
    const masked = maskSecrets(mail.text);
    const conduct = checkConduct(this.deps.policy, { subject: mail.subject, text: mail.text });
    const flags: ConductFlag[] = [...conduct];
    if (masked.found.length > 0) flags.push('secrets-masked');
    return {
      text: truncate(masked.text),
      flags,
      maskedKinds: [...new Set(masked.found.map((finding) => finding.kind))],
    };
  }

  /** Cc'd customers join the ticket; support addresses and staff do not. */
  private participantsOf(mail: InboundMail, sender: string, queue: Queue): string[] {
    const own = new Set(supportAddresses(this.deps.policy));
    return [...new Set([...mail.cc, ...mail.to].map((address) => address.address))].filter(
      (address) =>
        address.includes('@') &&
        address !== sender &&
        !own.has(address) &&
        !isStaff(this.deps.policy, queue, address) &&
        !isNoReplyAddress(address),
    );
  }

  private inboundMessage(
    ticket: Ticket,
    sequence: number,
    mail: InboundMail,
    sender: string,
    author: MessageAuthor,
    text: string,
  ): TicketMessage {
    return {
      ticketNumber: ticket.number,
      sequence,
      at: this.at,
      direction: 'inbound',
      author,
      from: sender,
      to: mail.to.map((address) => address.address),
      cc: mail.cc.map((address) => address.address),
      subject: mail.subject,
      text,
      messageId: this.claimMessageId ? mail.messageId : null,
      inReplyTo: mail.inReplyTo,
      references: [...mail.references],
      rawKey: this.inbound.rawKey,
      attachments: mail.attachments.map((attachment) => ({
        filename: attachment.filename,
        contentType: attachment.contentType,
        size: attachment.size,
        key: null,
      })),
    };
  }

  private pending(
    purpose: string,
    ticket: Ticket,
    sequence: number,
    author: 'system' | 'agent',
    mail: PendingMail['mail'],
  ): PendingMail {
    return { purpose, ticketNumber: ticket.number, sequence, author, mail };
  }

  private receipt(outcome: ReceiptOutcome, ticketNumber: number | null, pendingMail: PendingMail[]): InboundReceipt {
    return {
      key: this.inbound.receiptKey,
      at: this.at,
      outcome,
      ticketNumber,
      pendingMail,
      completedAt: pendingMail.length === 0 ? this.at : null,
    };
  }

  private queueOf(ticket: Ticket): Queue {
    return this.deps.policy.queues.find((queue) => queue.name === ticket.queue) ?? this.deps.policy.queues[0]!;
  }
}

/** `Auto-Submitted: auto-generated` (RFC 3834 §5): originated by a process, not a response to a message. */
function isAutoGenerated(mail: InboundMail): boolean {
  return (mail.headers.get('auto-submitted') ?? []).some((value) =>
    value.trim().toLowerCase().startsWith('auto-generated'),
  );
}

/** In-Reply-To first, then References newest first: the most specific id finds the ticket. */
function threadIds(mail: InboundMail): string[] {
  return [
    ...new Set(
      [mail.inReplyTo, ...[...mail.references].reverse()].filter(
        (id): id is string => typeof id === 'string' && id.length > 0,
      ),
    ),
  ];
}

/** Our answer threads under the customer's mail (RFC 5322 §3.6.4). */
function replyThread(mail: InboundMail): ThreadHeaders {
  const references = [...mail.references, ...(mail.messageId ? [mail.messageId] : [])];
  return { inReplyTo: mail.messageId, references: references.slice(-20) };
}

/** A stranger quoting another ticket's tag must not carry it into their own ticket. */
function stripOurTags(subject: string, brandTag: string): string {
  const escaped = brandTag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return subject
    .replace(new RegExp(`\\[\\s*${escaped}\\s*#\\s*\\d+\\s*\\]`, 'gi'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const truncate = (text: string): string =>
  text.length > STORED_TEXT_LIMIT ? `${text.slice(0, STORED_TEXT_LIMIT)}\n[…]` : text;

const rulesIn = (policy: Policy, locale: string): string[] =>
  policy.conduct.rules[locale] ?? policy.conduct.rules[policy.languages.default] ?? [];
