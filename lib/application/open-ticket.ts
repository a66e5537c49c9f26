import { markWithheld } from '../domain/attachments/attachment-forwarding.ts';
import { keyedAttachments } from '../domain/attachments/attachment-keys.ts';
import { detectLanguage } from '../domain/mail/language-detection.ts';
import { inferPriority } from '../domain/mail/priority-inference.ts';
import { normalizeSubject, stripTicketTags } from '../domain/mail/subject.ts';
import type { Channel, Policy, Queue } from '../domain/policy/policy-schema.ts';
import { planFor, regionFor } from '../domain/routing/support-routing.ts';
import { acknowledgementAllowed, conductNoticeDue } from '../domain/ticket/acknowledgement-rules.ts';
import { type Customer, newCustomer } from '../domain/ticket/customer.ts';
import { suspensionApplies } from '../domain/ticket/customer-suspension.ts';
import { type CustomerWords, readCustomerWords } from '../domain/ticket/customer-words.ts';
import type { OutboundPurpose } from '../domain/ticket/message-purpose.ts';
import { admitParticipants, participantRules } from '../domain/ticket/participants.ts';
import { claimKind, mayAddToTicket, sameIssue, type ThreadedVia, threadClaimKeys } from '../domain/ticket/threading.ts';
import { isOpenStatus, type Ticket, type TicketFlag, type TicketMessage } from '../domain/ticket/ticket.ts';
import { changeStatus, newTicket } from '../domain/ticket/ticket-lifecycle.ts';
import { addCustomerMessage } from './add-customer-message.ts';
import { answerSuspended } from './answer-suspended-customer.ts';
import { forwardedAttachments } from './attachment-mail.ts';
import { CHANGE_ATTEMPTS, claimsFor, commitFailure, quarantineTooLarge, sameMailSeen } from './change-ticket.ts';
import { type InboundMessageFacts, inboundMessage } from './inbound-message.ts';
import { type Quarantined, type Redelivered, resumeEvent } from './inbound-receipts.ts';
import { NotificationMail, type ThreadHeaders } from './notification-mail.ts';
import { reportActivity } from './ports/support-activity.ts';
import { settleOwedEffects } from './settle-owed-effects.ts';
import {
  eventTime,
  type MailToSend,
  owedAttachments,
  owedMail,
  owedTimers,
  receiptFor,
  type TicketEvent,
  type TicketKernelDeps,
} from './ticket-event.ts';

/**
 * A request for a new ticket, from any channel: the mail pipeline, the web form, later the
 * timers and the CLI. The channel has already decided who is speaking; the kernel decides the
 * rest (duplicates, suspension, language, priority, participants, what to send).
 */
export interface OpenTicketRequest {
  readonly channel: Channel;
  readonly queue: Queue;
  /** Lower-cased address. */
  readonly requester: string;
  readonly requesterName: string | null;
  /** As written: tags of other tickets stripped, secrets masked and length capped here. */
  readonly subject: string;
  readonly text: string;
  /** A language the channel knows (a form's `lang`); used when offered and the customer has none. */
  readonly localeHint: string | null;
  /** A priority the channel was given (a form's field); used when the policy has it. */
  readonly priorityHint: string | null;
  /** Addresses the request names as colleagues to keep informed (Cc). */
  readonly participantsNamed: readonly string[];
  /** False for mail that failed authentication: nobody is added. */
  readonly mayAddParticipants: boolean;
  /** Whether the requester may get an automatic answer at all (not an alert, not a no-reply address …). */
  readonly mayAcknowledge: boolean;
  readonly flags: readonly TicketFlag[];
  readonly message: InboundMessageFacts;
  /** What our answers answer (In-Reply-To / References). */
  readonly reply: ThreadHeaders;
  /** The request's own Message-ID and those it answers, newest first: claimed with the new thread. */
  readonly threadIds: readonly string[];
}

export type OpenTicketOutcome =
  | {
      readonly outcome: 'created';
      readonly ticketNumber: number;
      readonly sent: readonly OutboundPurpose[];
      /** Set when the policy closes duplicates and this ticket was opened closed as one. */
      readonly duplicateOf: number | null;
    }
  | {
      readonly outcome: 'threaded';
      readonly ticketNumber: number;
      readonly via: ThreadedVia;
      readonly sent: readonly OutboundPurpose[];
    }
  | Quarantined
  | Redelivered;

const rulesIn = (policy: Policy, locale: string): string[] =>
  policy.conduct.rules[locale] ?? policy.conduct.rules[policy.languages.default] ?? [];

/**
 * The one way to open a ticket. In order: a suspended customer (where the policy allows
 * suspension) gets the suspended-support notice and no ticket; the same subject as one of the
 * requester's open tickets follows `conduct.duplicates` (join it, open a closed duplicate, or a
 * new ticket); otherwise a new ticket with its acknowledgement and the agents' notification.
 *
 * Two requests of one new thread processed at the same instant (same requester and subject, or a
 * mail and its reply) give one ticket: the creating transaction claims the thread, and the request
 * that loses joins the winner's ticket as a follow-up. Idempotent on the event's key, like every
 * kernel operation.
 */
export async function openTicket(
  deps: TicketKernelDeps,
  event: TicketEvent,
  request: OpenTicketRequest,
): Promise<OpenTicketOutcome> {
  const { policy, store } = deps;
  // One Query: the requester's customer record and open tickets (duplicates, suspension, language, plan).
  const overview = await store.requesterOverview(request.requester);
  const customer = overview.customer;
  const words = readCustomerWords(policy, { subject: request.subject, text: request.text });
  const subject = stripTicketTags(words.subject, policy.brand.tag) || '(no subject)';
  const normalizedSubject = normalizeSubject(subject, policy.brand.tag);

  if (customer && suspensionApplies(policy, customer)) {
    return answerSuspended(deps, event, request, customer, subject);
  }
  const issue = sameIssue(policy, overview.openTickets, normalizedSubject);
  if (issue.kind === 'join') return joinTicket(deps, event, request, issue.ticket, 'subject');

  const opening = new NewTicketOpening(deps, event, request, customer, words, subject, normalizedSubject);
  return opening.commit(issue.kind === 'close-as-duplicate' ? issue.of : null);
}

async function joinTicket(
  deps: TicketKernelDeps,
  event: TicketEvent,
  request: OpenTicketRequest,
  ticket: Ticket,
  via: ThreadedVia,
): Promise<OpenTicketOutcome> {
  const outcome = await addCustomerMessage(
    deps,
    event,
    ticket,
    {
      author: request.requester,
      authorName: request.requesterName,
      subject: request.subject,
      text: request.text,
      participantsNamed: request.participantsNamed,
      authenticated: request.mayAddParticipants,
      notifyAgents: true,
      flags: request.flags,
      message: request.message,
      reply: request.reply,
    },
    via,
  );
  if (outcome.outcome === 'changed') {
    return { outcome: 'threaded', ticketNumber: outcome.ticket.number, via: outcome.result.via, sent: outcome.sent };
  }
  // A ticket that stopped being joinable cannot be: decide() always changes.
  if (outcome.outcome === 'unchanged') throw new Error(`Ticket ${ticket.number} refused a customer message`);
  return outcome;
}

/** A new ticket being opened: decided once, committed until it lands, joins the thread's ticket or is a repeat. */
class NewTicketOpening {
  private readonly notifications: NotificationMail;
  private readonly at: string;
  private number: number | null = null;
  private claimIdentity = true;
  private readonly lostClaims = new Set<string>();

  constructor(
    private readonly deps: TicketKernelDeps,
    private readonly event: TicketEvent,
    private readonly request: OpenTicketRequest,
    private readonly customer: Customer | null,
    private readonly words: CustomerWords,
    private readonly subject: string,
    private readonly normalizedSubject: string,
  ) {
    this.notifications = new NotificationMail(deps.policy, deps.renderer);
    this.at = eventTime(event);
  }

  async commit(duplicateOf: Ticket | null): Promise<OpenTicketOutcome> {
    const { store } = this.deps;
    this.number ??= await store.allocateTicketNumber();
    for (let attempt = 1; ; attempt += 1) {
      const draft = this.draft(this.number, duplicateOf);
      try {
        await store.createTicket(draft.input);
      } catch (error) {
        const failure = commitFailure(error);
        if (failure.kind === 'seen-before') return resumeEvent(this.deps, this.event);
        if (failure.kind === 'too-large') return quarantineTooLarge(this.deps, this.event, failure.error);
        if (failure.kind === 'identity-taken' && this.claimIdentity) {
          const again = await sameMailSeen(this.deps, this.event, draft.input.firstMessage);
          if (again) return again;
          this.claimIdentity = false;
          continue;
        }
        if (failure.kind === 'claimed') {
          const joined = await this.joinClaimedThread(failure.claims, duplicateOf);
          if (joined) return joined;
          continue;
        }
        if (failure.kind === 'stale' && attempt < CHANGE_ATTEMPTS) continue;
        throw error;
      }
      reportActivity(this.deps, { kind: 'ticket-opened', ticketNumber: this.number, channel: this.request.channel });
      const sent = await settleOwedEffects(this.deps, {
        receiptKey: this.event.key,
        owed: draft.input.receipt.owed,
        decidedAt: this.at,
      });
      return { outcome: 'created', ticketNumber: this.number, sent, duplicateOf: duplicateOf?.number ?? null };
    }
  }

  /**
   * Another request of this thread committed first. Its ticket is joined when this requester may
   * add to it and it is open; on the same subject under `duplicates: close`, this one is opened
   * closed as its duplicate. A claim on a ticket that cannot be joined is given up, and the new
   * ticket is opened without it.
   */
  private async joinClaimedThread(
    claims: readonly { key: string; ticketNumber: number }[],
    duplicateOf: Ticket | null,
  ): Promise<OpenTicketOutcome | null> {
    for (const claim of claims) {
      const ticket = await this.deps.store.getTicket(claim.ticketNumber);
      const joinable =
        ticket !== null && isOpenStatus(ticket.status) && mayAddToTicket(ticket, this.request.requester, false);
      const kind = claimKind(claim.key);
      if (joinable && kind === 'subject' && this.deps.policy.conduct.duplicates === 'close' && duplicateOf === null) {
        this.lostClaims.add(claim.key);
        return this.commit(ticket);
      }
      if (joinable) return joinTicket(this.deps, this.event, this.request, ticket, kind);
      this.lostClaims.add(claim.key);
    }
    return null;
  }

  private draft(number: number, duplicateOf: Ticket | null) {
    const { policy, sla } = this.deps;
    const { request, customer, words } = this;
    const now = this.event.now;
    const locale = this.locale();
    const mayAcknowledge = request.mayAcknowledge && acknowledgementAllowed(customer, now);
    const citeConduct = mayAcknowledge && conductNoticeDue(policy, customer, words.flags, now);
    const admission = admitParticipants(
      [],
      request.requester,
      request.participantsNamed,
      participantRules(policy, request.queue, request.mayAddParticipants),
    );
    const opened = newTicket(
      {
        number,
        queue: request.queue.name,
        requester: request.requester,
        requesterName: request.requesterName,
        participants: admission.participants,
        subject: this.subject,
        normalizedSubject: this.normalizedSubject,
        priority: this.priority(locale),
        plan: planFor(policy, request.requester, customer),
        region: regionFor(policy, request.requester, customer),
        channel: request.channel,
        locale,
        flags: [...words.flags, ...request.flags, ...(duplicateOf ? (['duplicate'] as const) : [])],
        receivedAt: now,
        firstRespondedAt: mayAcknowledge && policy.sla.firstResponseIs === 'acknowledgement' ? now : null,
      },
      sla,
    );
    const ticket = duplicateOf
      ? { ...changeStatus(opened, 'closed', now, sla), duplicateOf: duplicateOf.number }
      : opened;
    const files = forwardedAttachments(policy, number, request.message.attachments);
    const mail: MailToSend[] = [];
    if (mayAcknowledge) {
      mail.push({
        purpose: 'acknowledgement',
        author: 'system',
        mail: this.notifications.acknowledgement(ticket, request.reply, {
          maskedSecrets: words.maskedKinds,
          conductRules: citeConduct ? rulesIn(policy, ticket.locale) : [],
          duplicateOf: duplicateOf?.number ?? null,
          statusUrl: this.deps.statusLinks.linkFor(ticket),
        }),
      });
    }
    // A closed duplicate needs no agent: the customer is pointed at the ticket agents already have.
    if (duplicateOf === null) {
      mail.push({
        purpose: 'agent-new-ticket',
        author: 'system',
        mail: this.notifications.toAgents('agent-new-ticket', ticket, request.reply, {
          message: { from: request.requester, fromName: request.requesterName, text: words.text, at: this.at },
          flags: ticket.flags,
          declinedParticipants: admission.declined,
          attachments: files,
        }),
      });
    }
    const mailOwed = owedMail(number, 2, mail);
    const message: TicketMessage = {
      ...inboundMessage(request.message, {
        at: this.at,
        author: 'requester',
        purpose: 'customer-message',
        subject: words.subject,
        text: words.text,
        declinedParticipants: admission.declined,
      }),
      // Keyed here as the kernel keys a change's message: the receipt owes storing them.
      attachments: keyedAttachments(
        number,
        duplicateOf === null ? markWithheld(request.message.attachments, files) : request.message.attachments,
      ),
      ...(this.claimIdentity ? {} : { messageId: null, contentKey: null }),
      ticketNumber: number,
      sequence: 1,
    };
    const owed = [...owedAttachments(message), ...mailOwed, owedTimers(this.deps, null, ticket)];
    const claimKeys = threadClaimKeys({
      requester: request.requester,
      // Where duplicates are allowed, the same subject is no reason to join; a closed duplicate claims nothing of its original's.
      normalizedSubject: policy.conduct.duplicates === 'allow' || duplicateOf ? null : this.normalizedSubject,
      messageIds: request.threadIds,
    }).filter((key) => !this.lostClaims.has(key));
    const nextCustomer: Customer = {
      ...(customer ?? newCustomer(request.requester, this.at)),
      locale,
      lastAcknowledgedAt: mayAcknowledge ? this.at : (customer?.lastAcknowledgedAt ?? null),
      lastConductNoticeAt: citeConduct ? this.at : (customer?.lastConductNoticeAt ?? null),
      updatedAt: this.at,
    };
    return {
      input: {
        ticket: { ...ticket, messageCount: 1 + mailOwed.length },
        firstMessage: message,
        receipt: receiptFor(this.event, 'created', number, owed),
        customer: nextCustomer,
        threadClaims: claimsFor(claimKeys, number, this.event),
      },
    };
  }

  /** The customer's remembered language, else the channel's hint, else the one their words are in. */
  private locale(): string {
    const { policy } = this.deps;
    const offered = (locale: string | null | undefined): locale is string =>
      typeof locale === 'string' && policy.languages.offered.includes(locale);
    if (offered(this.customer?.locale)) return this.customer.locale;
    if (offered(this.request.localeHint)) return this.request.localeHint;
    return detectLanguage(`${this.request.subject}\n${this.words.text}`, {
      offered: policy.languages.offered,
      fallback: policy.languages.default,
    });
  }

  private priority(locale: string): string {
    const { policy } = this.deps;
    const hint = this.request.priorityHint;
    if (hint && policy.priorities.levels.some((level) => level.name === hint)) return hint;
    return inferPriority(policy, { subject: this.request.subject, text: this.words.text, language: locale });
  }
}
