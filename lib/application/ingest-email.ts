import { isAtendeError } from '../domain/atende-error.ts';
import { contentKey } from '../domain/mail/content-key.ts';
import type { InboundMail } from '../domain/mail/inbound-mail.ts';
import {
  asksNotToBeAutoAnswered,
  classifyInboundMail,
  isNoReplyAddress,
  type MailClassification,
} from '../domain/mail/mail-classification.ts';
import { type MailLimits, resolveMailLimits } from '../domain/mail/mail-limits.ts';
import { parseInboundMail } from '../domain/mail/parse-inbound-mail.ts';
import { findTicketTag } from '../domain/mail/subject.ts';
import type { Queue } from '../domain/policy/policy-schema.ts';
import { bouncedMessageReferences } from '../domain/routing/bounced-message.ts';
import { type InboundVerdicts, verdictRejection } from '../domain/routing/inbound-verdicts.ts';
import { authenticateSender, type SenderAuthentication } from '../domain/routing/sender-authentication.ts';
import { isStaff, ownAddresses, queueForRecipients, supportAddresses } from '../domain/routing/support-routing.ts';
import type { AgentReplyRefusal } from '../domain/ticket/agent-reply-extraction.ts';
import { capSubject } from '../domain/ticket/customer-words.ts';
import type { OutboundPurpose } from '../domain/ticket/message-purpose.ts';
import { mayAddToTicket, type ThreadedVia } from '../domain/ticket/threading.ts';
import type { Ticket } from '../domain/ticket/ticket.ts';
import { takesMailAt } from '../domain/ticket/ticket-lifecycle.ts';
import { addCustomerMessage } from './add-customer-message.ts';
import type { ChangeOutcome } from './change-ticket.ts';
import { type InboundMessageFacts, MAX_STORED_ATTACHMENTS } from './inbound-message.ts';
import { quarantineEvent } from './inbound-receipts.ts';
import { type KeptMail, keepAutomaticAnswer, keepUnauthenticatedStaffMail } from './keep-mail-on-ticket.ts';
import type { ThreadHeaders } from './notification-mail.ts';
import { openTicket } from './open-ticket.ts';
import { relayAgentReply } from './relay-agent-reply.ts';
import { RECEIPT_LEASE_MS, type TicketEvent, type TicketKernelDeps } from './ticket-event.ts';

export { STORED_SUBJECT_LIMIT, STORED_TEXT_LIMIT } from '../domain/ticket/customer-words.ts';

/**
 * A redelivered event whose first attempt may still be sending its mail (its receipt's lease has
 * not ended) is retried later rather than resumed, so two deliveries never send the same mail.
 */
export const RESUME_PENDING_AFTER_MS = RECEIPT_LEASE_MS;

export interface IngestEmailDeps extends TicketKernelDeps {
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

type Sent = readonly OutboundPurpose[];

export type IngestResult =
  | { readonly outcome: 'created'; readonly ticketNumber: number; readonly sent: Sent; readonly duplicateOf?: number }
  | { readonly outcome: 'threaded'; readonly ticketNumber: number; readonly via: ThreadedVia; readonly sent: Sent }
  | { readonly outcome: 'relayed'; readonly ticketNumber: number; readonly sent: Sent }
  | {
      readonly outcome: 'recorded';
      readonly ticketNumber: number;
      readonly kind:
        | 'bounce'
        | 'auto-reply'
        | 'unauthenticated-staff'
        | 'agent-reply-refused'
        | 'internal-note'
        | 'agent-commands';
      readonly sent: Sent;
      /** Why an agent's reply was not relayed (agent-reply-refused). */
      readonly reason?: AgentReplyRefusal;
    }
  | { readonly outcome: 'quarantined'; readonly reason: string }
  | { readonly outcome: 'duplicate'; readonly ticketNumber: number | null; readonly sent: Sent };

interface Found {
  readonly ticket: Ticket;
  readonly via: ThreadedVia;
}

/**
 * Turns one inbound mail into a ticket, or adds it to its ticket, and sends what that calls for.
 * The steps: keep raw (done by SES's S3 action, or the listener) → verdicts → parse → classify →
 * who is speaking (staff only when authenticated) → find the thread → the kernel (openTicket,
 * addCustomerMessage, relayAgentReply, or kept without acting on it).
 *
 * Idempotent on SES's messageId: the receipt is written in the same transaction as the ticket
 * change, with the mail it owes. A redelivery finds the receipt and settles only what a failed
 * first attempt left owed. Mail that cannot be processed becomes a quarantine record; the raw
 * message is never touched.
 */
export async function ingestEmail(deps: IngestEmailDeps, inbound: InboundEmail): Promise<IngestResult> {
  return new EmailIngestion(deps, inbound).run();
}

class EmailIngestion {
  private readonly event: TicketEvent;

  constructor(
    private readonly deps: IngestEmailDeps,
    private readonly inbound: InboundEmail,
  ) {
    this.event = { key: inbound.receiptKey, now: deps.clock.now(), rawKey: inbound.rawKey };
  }

  async run(): Promise<IngestResult> {
    const { policy } = this.deps;
    const rejection = verdictRejection(this.inbound.verdicts ?? {});
    if (rejection) return this.quarantine(rejection, { verdicts: JSON.stringify(this.inbound.verdicts ?? {}) });

    let mail: InboundMail;
    try {
      const raw = await this.deps.rawMail.get(this.inbound.rawKey, { maxBytes: this.deps.limits?.maxRawBytes });
      const parsed = await parseInboundMail(Buffer.from(raw), this.deps.limits);
      mail = { ...parsed, subject: capSubject(parsed.subject) };
    } catch (error) {
      if (isAtendeError(error) && error.code.startsWith('mail.'))
        return this.quarantine(`inbound.${error.code.slice('mail.'.length)}`, { error: error.message });
      throw error;
    }

    // Our own outbound mail (a support address, our header, our Message-IDs) coming back is never acted on.
    const classification = classifyInboundMail(mail, {
      ownAddresses: supportAddresses(policy),
      ownMessageIdDomain: this.deps.ownMessageIdDomain,
      envelopeSender: this.inbound.envelopeSender,
    });
    const sender = mail.from?.address;
    if (classification.kind === 'bounce') return this.keepBounce(mail, classification);
    if (classification.kind === 'own-mail')
      return this.quarantine('inbound.ownMail', { classification: classification.reason });
    if (!sender?.includes('@')) return this.quarantine('inbound.noSender', { classification: classification.reason });

    const queue =
      queueForRecipients(policy, [
        ...this.inbound.recipients,
        ...mail.to.map((address) => address.address),
        ...mail.cc.map((address) => address.address),
      ]) ?? policy.queues[0]!;
    const authentication = authenticateSender(sender, {
      verdicts: this.inbound.verdicts,
      submittedBy: this.inbound.submittedBy,
      authorCount: mail.authorCount,
    });
    // A From header is typed by whoever sends the mail: staff are staff only when authenticated.
    const claimsStaff = isStaff(policy, queue, sender);
    const staff = claimsStaff && authentication === 'authenticated';
    const found = await this.findTicket(mail, sender, claimsStaff);

    if (found && claimsStaff && found.ticket.requester !== sender) {
      return staff ? this.relay(found.ticket, mail, sender) : this.keepUnauthenticatedStaff(found.ticket, mail, sender);
    }
    // Our own addresses are never customers: an agents' list that forwards our notice back opens nothing.
    if (ownAddresses(policy).includes(sender))
      return this.quarantine('inbound.ownMail', { classification: `sent from our own address ${sender}` });
    if (classification.kind === 'auto-reply') {
      if (found) return this.keepAutomaticAnswer(found.ticket, mail, sender, 'auto-reply');
      // RFC 3834 §5: auto-generated mail (a monitoring alert) starts work and may open a ticket, never answered;
      // an auto-replied one (out of office) answers something and means nothing on its own.
      if (!isAutoGenerated(mail))
        return this.quarantine('inbound.autoReply', { classification: classification.reason, from: sender });
    }
    if (found) return this.addCustomerMessage(found, mail, sender, authentication);
    // Staff may open a ticket for themselves like anyone; one whose From is not proven only carries the flag.
    return this.openTicket(mail, sender, queue, classification, authentication, claimsStaff && !staff);
  }

  /**
   * Threading by what the mail itself says: In-Reply-To / References against the Message-ID
   * index, then our subject tag. (The sender's open ticket with the same subject is the kernel's
   * duplicates rule, in openTicket.) A ticket the sender may not add to is ignored, as if it had
   * not been found: a stranger who quotes a ticket's Message-ID or tag starts a ticket of their own.
   */
  private async findTicket(mail: InboundMail, sender: string, claimsStaff: boolean): Promise<Found | null> {
    const { store, policy } = this.deps;
    const accept = async (number: number | null, via: ThreadedVia): Promise<Found | null> => {
      if (number === null) return null;
      const ticket = await store.getTicket(number);
      return ticket &&
        takesMailAt(ticket, this.event.now, policy.reopen.within) &&
        mayAddToTicket(ticket, sender, claimsStaff)
        ? { ticket, via }
        : null;
    };
    const ids = threadIds(mail);
    if (ids.length > 0) {
      const found = await accept(await store.ticketForMessageIds(ids), 'message-id');
      if (found) return found;
    }
    return accept(findTicketTag(mail.subject, policy.brand.tag), 'subject-tag');
  }

  private async openTicket(
    mail: InboundMail,
    sender: string,
    queue: Queue,
    classification: MailClassification,
    authentication: SenderAuthentication,
    unauthenticatedStaff: boolean,
  ): Promise<IngestResult> {
    const failed = authentication === 'failed';
    const outcome = await openTicket(this.deps, this.event, {
      channel: 'email',
      queue,
      requester: sender,
      requesterName: mail.from?.name ?? null,
      subject: mail.subject,
      text: mail.text,
      localeHint: null,
      priorityHint: null,
      participantsNamed: namedAddresses(mail),
      // Mail that failed SPF and DKIM may be forged: no colleagues added, and no answer to a From that may not be theirs.
      mayAddParticipants: !failed,
      mayAcknowledge:
        !failed && classification.kind === 'customer' && !isNoReplyAddress(sender) && !asksNotToBeAutoAnswered(mail),
      flags: [
        ...(failed ? (['unauthenticated-sender'] as const) : []),
        ...(unauthenticatedStaff ? (['unauthenticated-staff'] as const) : []),
      ],
      message: this.facts(mail, sender),
      reply: replyThread(mail),
      threadIds: [...(mail.messageId ? [mail.messageId] : []), ...threadIds(mail)],
    });
    if (outcome.outcome === 'created') {
      return {
        outcome: 'created',
        ticketNumber: outcome.ticketNumber,
        sent: outcome.sent,
        ...(outcome.duplicateOf === null ? {} : { duplicateOf: outcome.duplicateOf }),
      };
    }
    return outcome;
  }

  /** The requester or a participant wrote again. */
  private async addCustomerMessage(
    found: Found,
    mail: InboundMail,
    sender: string,
    authentication: SenderAuthentication,
  ): Promise<IngestResult> {
    const outcome = await addCustomerMessage(
      this.deps,
      this.event,
      found.ticket,
      {
        author: sender,
        authorName: mail.from?.name ?? null,
        subject: mail.subject,
        text: mail.text,
        participantsNamed: namedAddresses(mail),
        authenticated: authentication !== 'failed',
        notifyAgents: true,
        flags: [],
        message: this.facts(mail, sender),
        reply: replyThread(mail),
      },
      found.via,
    );
    return this.changed(outcome, (ticket, sent, result) => ({
      outcome: 'threaded',
      ticketNumber: ticket.number,
      via: result.via,
      sent,
    }));
  }

  private async relay(ticket: Ticket, mail: InboundMail, sender: string): Promise<IngestResult> {
    const outcome = await relayAgentReply(this.deps, this.event, ticket, {
      agent: sender,
      agentName: mail.from?.name ?? null,
      subject: mail.subject,
      mail,
      message: this.facts(mail, sender),
      reply: replyThread(mail),
      limits: agentReplyLimits(resolveMailLimits(this.deps.limits)),
    });
    return this.changed(outcome, (changed, sent, result): IngestResult => {
      const ticketNumber = changed.number;
      switch (result.outcome) {
        case 'relayed':
          return { outcome: 'relayed', ticketNumber, sent };
        case 'noted':
          return { outcome: 'recorded', ticketNumber, kind: 'internal-note', sent };
        case 'applied':
          return { outcome: 'recorded', ticketNumber, kind: 'agent-commands', sent };
        case 'refused':
          return { outcome: 'recorded', ticketNumber, kind: 'agent-reply-refused', reason: result.reason, sent };
      }
    });
  }

  private async keepUnauthenticatedStaff(ticket: Ticket, mail: InboundMail, sender: string): Promise<IngestResult> {
    const verdicts = this.inbound.verdicts ?? {};
    const outcome = await keepUnauthenticatedStaffMail(this.deps, this.event, ticket, this.kept(mail, sender), {
      reply: replyThread(mail),
      verdicts: { spf: verdicts.spf ?? null, dkim: verdicts.dkim ?? null, dmarc: verdicts.dmarc ?? null },
    });
    return this.changed(outcome, (changed, sent) => ({
      outcome: 'recorded',
      ticketNumber: changed.number,
      kind: 'unauthenticated-staff',
      sent,
    }));
  }

  private async keepAutomaticAnswer(
    ticket: Ticket,
    mail: InboundMail,
    sender: string,
    kind: 'bounce' | 'auto-reply',
  ): Promise<IngestResult> {
    const outcome = await keepAutomaticAnswer(this.deps, this.event, ticket, kind, this.kept(mail, sender));
    return this.changed(outcome, (changed, sent) => ({
      outcome: 'recorded',
      ticketNumber: changed.number,
      kind,
      sent,
    }));
  }

  /** A bounce never creates a ticket: it is kept on the ticket whose mail bounced, or quarantined. */
  private async keepBounce(mail: InboundMail, classification: MailClassification): Promise<IngestResult> {
    const raw = await this.deps.rawMail.get(this.inbound.rawKey, { maxBytes: this.deps.limits?.maxRawBytes });
    const references = bouncedMessageReferences(Buffer.from(raw));
    const ids = [...threadIds(mail), ...references.messageIds];
    let number = references.ticketNumber;
    if (number === null && ids.length > 0) number = await this.deps.store.ticketForMessageIds(ids);
    const ticket = number === null ? null : await this.deps.store.getTicket(number);
    if (!ticket)
      return this.quarantine('inbound.unmatchedBounce', {
        classification: classification.reason,
        from: mail.from?.address ?? null,
      });
    return this.keepAutomaticAnswer(ticket, mail, mail.from?.address ?? 'mailer-daemon', 'bounce');
  }

  private changed<R>(
    outcome: ChangeOutcome<R>,
    done: (ticket: Ticket, sent: Sent, result: R) => IngestResult,
  ): IngestResult {
    switch (outcome.outcome) {
      case 'changed':
        return done(outcome.ticket, outcome.sent, outcome.result);
      case 'unchanged':
        return { outcome: 'duplicate', ticketNumber: outcome.ticket.number, sent: [] };
      default:
        return outcome;
    }
  }

  private quarantine(reason: string, details: Record<string, string | null>): Promise<IngestResult> {
    return quarantineEvent(this.deps, this.event, { reason, details });
  }

  private facts(mail: InboundMail, sender: string): InboundMessageFacts {
    return {
      from: sender,
      to: mail.to.map((address) => address.address),
      cc: mail.cc.map((address) => address.address),
      messageId: mail.messageId,
      contentKey: mail.messageId === null ? contentKey(mail) : null,
      inReplyTo: mail.inReplyTo,
      references: [...mail.references],
      rawKey: this.inbound.rawKey,
      attachments: mail.attachments.slice(0, MAX_STORED_ATTACHMENTS).map((attachment) => ({
        filename: attachment.filename,
        contentType: attachment.contentType,
        size: attachment.size,
        // The kernel names where it is stored once the message has its ticket (attachment-keys.ts).
        key: null,
        sha256: attachment.sha256,
        inline: attachment.inline,
        withheld: null,
      })),
    };
  }

  private kept(mail: InboundMail, sender: string): KeptMail {
    return {
      from: sender,
      fromName: mail.from?.name ?? null,
      subject: mail.subject,
      text: mail.text,
      message: this.facts(mail, sender),
    };
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

/** Everyone the mail names besides its author, Cc first: candidates to join the ticket. */
const namedAddresses = (mail: InboundMail): string[] => [
  ...new Set([...mail.cc, ...mail.to].map((address) => address.address).filter((address) => address.includes('@'))),
];

/** Our answer threads under the customer's mail (RFC 5322 §3.6.4). */
function replyThread(mail: InboundMail): ThreadHeaders {
  const references = [...mail.references, ...(mail.messageId ? [mail.messageId] : [])];
  return { inReplyTo: mail.messageId, references: references.slice(-20) };
}

/**
 * An agent's words sit at the top of their mail, above the marker: the HTML read for them stops
 * where conversion would (a 5 MB reply of dense markup is not an answer to wait seconds for).
 */
const agentReplyLimits = (limits: MailLimits): Pick<MailLimits, 'maxHtmlChars' | 'maxHtmlDepth'> => ({
  maxHtmlChars: Math.min(limits.maxHtmlChars, limits.maxHtmlConvertedChars),
  maxHtmlDepth: limits.maxHtmlDepth,
});
