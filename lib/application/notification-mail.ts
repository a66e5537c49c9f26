import type { AttachmentSelection } from '../domain/attachments/attachment-forwarding.ts';
import { withoutControlCharacters } from '../domain/mail/header-text.ts';
import { ATENDE_TICKET_HEADER } from '../domain/mail/mail-classification.ts';
import { isMailableAddress } from '../domain/mail/mailable-address.ts';
import { tagSubject } from '../domain/mail/subject.ts';
import type { Policy, Queue } from '../domain/policy/policy-schema.ts';
import { isStaff, ticketQueue } from '../domain/routing/support-routing.ts';
import { agentNoticeWords, replyMarkerLine } from '../domain/ticket/agent-notice-markers.ts';
import type { HeldFollowUpQuotes } from '../domain/ticket/held-follow-ups.ts';
import { isCustomerVisible } from '../domain/ticket/message-purpose.ts';
import { isCustomerOf } from '../domain/ticket/participants.ts';
import type { Ticket, TicketMessage } from '../domain/ticket/ticket.ts';
import { attachmentsView, withAttachments } from './attachment-mail.ts';
import type { MailAddress, OutgoingMail } from './ports/mailer.ts';
import type {
  AgentNotificationKind,
  DeclinedParticipant,
  NotificationContext,
  NotificationKind,
  NotificationRenderer,
  ResolutionView,
  SenderVerdicts,
  SurveyLinks,
  TicketView,
} from './ports/notification-renderer.ts';

/** Customer text quoted in agent notifications is cut here: the ticket keeps all of it. */
export const QUOTED_TEXT_LIMIT = 20_000;
/** An agent's display name in the relay's From is cut here: a header, not a paragraph. */
const MAX_AGENT_NAME_CHARS = 64;

/** What a notification answers: the message it replies to and the thread so far. */
export interface ThreadHeaders {
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
}

/**
 * Builds every mail atende sends about a ticket from the policy and the one template
 * renderer: who it is from, who gets it, its language, its threading headers.
 */
export class NotificationMail {
  constructor(
    protected readonly policy: Policy,
    protected readonly renderer: NotificationRenderer,
  ) {}

  /** The language templates exist for: the customer's when offered and rendered, else the policy default. */
  localeFor(locale: string | null): string {
    const available = this.renderer.locales();
    if (locale && this.policy.languages.offered.includes(locale) && available.includes(locale)) return locale;
    return this.policy.languages.default;
  }

  ticketView(ticket: Ticket, locale: string): TicketView {
    const labels = this.policy.statuses[ticket.status];
    return {
      number: ticket.number,
      subject: ticket.subject,
      taggedSubject: tagSubject(ticket.subject, this.policy.brand.tag, ticket.number),
      status: ticket.status,
      statusLabel: labels[locale] ?? labels[this.policy.languages.default] ?? ticket.status,
      queue: ticket.queue,
      queueAddress: this.queue(ticket).address,
      priority: ticket.priority,
      plan: ticket.plan,
      requester: ticket.requester,
      requesterName: ticket.requesterName,
      channel: ticket.channel,
      assignee: ticket.assignee,
    };
  }

  /** Context shared by every template; callers add what their kind needs. */
  context(ticket: Ticket, locale: string, extra: Partial<NotificationContext> = {}): NotificationContext {
    const calendar = this.policy.queues.find((queue) => queue.name === ticket.queue)?.calendar;
    const timeZone = (calendar && this.policy.calendars[calendar]?.timeZone) ?? 'UTC';
    return {
      brand: { name: this.policy.brand.name, tag: this.policy.brand.tag },
      ticket: this.ticketView(ticket, locale),
      // Once answered (or where the acknowledgement is the first response) there is no first response left to promise.
      sla: {
        firstResponseDue: ticket.firstRespondedAt === null ? ticket.firstResponseDue : null,
        resolutionDue: ticket.resolutionDue,
        timeZone,
      },
      ...extra,
    };
  }

  /**
   * To the requester alone, in their language, from the queue's address; RFC 3834 `auto-replied`.
   * Never to the people they Cc'd: an automatic answer to whoever a mail names is how a help desk
   * is made to mail strangers.
   */
  acknowledgement(ticket: Ticket, thread: ThreadHeaders, extra: Partial<NotificationContext>): OutgoingMail {
    const locale = this.localeFor(ticket.locale);
    const mail = this.toCustomers(
      'acknowledgement',
      ticket,
      locale,
      thread,
      this.context(ticket, locale, extra),
      'auto-replied',
    );
    return { ...mail, cc: [] };
  }

  /** The suspended-support notice, to a customer whose support is suspended. */
  suspendedNotice(ticket: Ticket, thread: ThreadHeaders): OutgoingMail {
    const locale = this.localeFor(ticket.locale);
    const context = this.context(ticket, locale, { suspensionNotice: this.policy.conduct.suspension.notice ?? null });
    return { ...this.toCustomers('suspended-notice', ticket, locale, thread, context, 'auto-replied'), cc: [] };
  }

  /**
   * An agent's reply as the customer and the participants receive it: a human answer, so no
   * Auto-Submitted, from the queue's address under the agent's name ("Ana via Atende Support");
   * the brand alone when the agent's mail gave no name.
   */
  agentReplyRelay(
    ticket: Ticket,
    thread: ThreadHeaders,
    reply: { from: string; fromName: string | null; text: string; at: string },
    statusUrl: string | null,
  ): OutgoingMail {
    const locale = this.localeFor(ticket.locale);
    // The link opens the requester's page, where one may reply and close as the requester: never
    // in a mail the people they Cc'd read too.
    const shared = ticket.participants.some((address) => address !== ticket.requester);
    const mail = this.toCustomers(
      'agent-reply-relay',
      ticket,
      locale,
      thread,
      this.context(ticket, locale, { message: reply, statusUrl: shared ? null : statusUrl }),
      undefined,
    );
    const name =
      reply.fromName === null ? '' : withoutControlCharacters(reply.fromName).trim().slice(0, MAX_AGENT_NAME_CHARS);
    return name === '' ? mail : { ...mail, from: { ...mail.from, name: `${name} via ${this.policy.brand.name}` } };
  }

  /**
   * To the queue's agents, in the policy's default language, with the priority's response
   * strategy and, when some were left out, the addresses the customer Cc'd that were not added.
   */
  toAgents(
    kind: Extract<NotificationKind, 'agent-new-ticket' | 'agent-customer-reply'>,
    ticket: Ticket,
    thread: ThreadHeaders,
    extra: {
      message: { from: string; fromName: string | null; text: string; at: string };
      flags: readonly string[];
      declinedParticipants?: readonly DeclinedParticipant[];
      /** The message's files: those to attach and those to list (selectForwardedAttachments). */
      attachments?: AttachmentSelection;
    },
  ): OutgoingMail {
    const locale = this.policy.languages.default;
    const context = this.context(ticket, locale, {
      priority: this.priorityView(ticket),
      flags: extra.flags,
      message: { ...extra.message, text: extra.message.text.slice(0, QUOTED_TEXT_LIMIT) },
      ...(extra.declinedParticipants === undefined ? {} : { declinedParticipants: extra.declinedParticipants }),
      ...(extra.attachments === undefined ? {} : { attachments: attachmentsView(extra.attachments) }),
      agentNotice: this.agentNotice(locale, true),
    });
    return withAttachments(this.toQueueAgents(kind, ticket, locale, thread, context), extra.attachments);
  }

  /**
   * To the queue's agents: a mail claiming to be from staff address `from` failed sender
   * authentication; it was kept on the ticket, flagged, and nothing was relayed or changed.
   * Replies go to the agents' address: answering this notice must not reach the customer.
   */
  agentUnauthenticatedStaff(
    ticket: Ticket,
    thread: ThreadHeaders,
    notice: { from: string; fromName: string | null; at: string; verdicts: SenderVerdicts },
  ): OutgoingMail {
    const locale = this.policy.languages.default;
    const context = this.context(ticket, locale, {
      unauthenticatedStaff: notice,
      agentNotice: this.agentNotice(locale, false),
    });
    const queue = this.queue(ticket);
    return this.toStaff(
      'agent-unauthenticated-staff',
      ticket,
      locale,
      thread,
      context,
      this.agentRecipients(ticket),
      queue.agents,
      'auto-generated',
    );
  }

  /**
   * To the queue's agents, in the policy's default language: the customer's follow-ups the
   * throttle held (follow-up-window.ts), quoted oldest first, in one mail. Replying answers the
   * customer, so it carries the reply marker.
   */
  heldFollowUps(
    ticket: Ticket,
    thread: ThreadHeaders,
    heldFollowUps: HeldFollowUpQuotes,
    attachments: AttachmentSelection,
  ): OutgoingMail {
    const locale = this.policy.languages.default;
    const context = this.context(ticket, locale, {
      priority: this.priorityView(ticket),
      heldFollowUps,
      attachments: attachmentsView(attachments),
      agentNotice: this.agentNotice(locale, true),
    });
    return withAttachments(this.toQueueAgents('agent-held-follow-ups', ticket, locale, thread, context), attachments);
  }

  /** To the requester alone: the ticket was resolved, the agent's note, and the survey when given. */
  resolutionSummary(
    ticket: Ticket,
    thread: ThreadHeaders,
    resolution: ResolutionView,
    survey: SurveyLinks | null,
  ): OutgoingMail {
    return this.toRequester('resolution-summary', ticket, thread, { resolution, survey });
  }

  /**
   * A mail atende sends of its own accord (not an answer to one), to the requester alone, in
   * their language: RFC 3834 `auto-generated`, and never to the people they Cc'd.
   */
  protected toRequester(
    kind: Extract<NotificationKind, 'waiting-reminder' | 'auto-close-notice' | 'resolution-summary'>,
    ticket: Ticket,
    thread: ThreadHeaders,
    extra: Partial<NotificationContext>,
  ): OutgoingMail {
    const locale = this.localeFor(ticket.locale);
    const context = this.context(ticket, locale, extra);
    return { ...this.toCustomers(kind, ticket, locale, thread, context, 'auto-generated'), cc: [] };
  }

  /** The ticket's priority with the policy's response strategy; undefined for a priority the policy no longer has. */
  protected priorityView(ticket: Ticket): NotificationContext['priority'] {
    const priority = this.policy.priorities.levels.find((level) => level.name === ticket.priority);
    return priority
      ? { name: priority.name, description: priority.description, responseStrategy: priority.responseStrategy ?? null }
      : undefined;
  }

  /** The reply marker (where answering the mail reaches the customer) and the internal banner, in `locale`. */
  protected agentNotice(locale: string, answerable: boolean): NonNullable<NotificationContext['agentNotice']> {
    const words = agentNoticeWords(locale);
    return { replyMarker: answerable ? replyMarkerLine(words) : null, banner: words.banner };
  }

  /**
   * Who gets a ticket's notices to agents: the queue's agents address, and the assignee as well
   * (`assignment.notify: assignee-and-agents`) or instead (`assignee-only`).
   */
  protected agentRecipients(ticket: Ticket): MailAddress[] {
    const agents = { address: this.queue(ticket).agents };
    const assignee = this.assigneeOf(ticket);
    if (assignee === null) return [agents];
    return this.policy.assignment.notify === 'assignee-only'
      ? [{ address: assignee }]
      : [agents, { address: assignee }];
  }

  /**
   * The ticket's assignee while they are staff of its queue and no customer of it: the policy may
   * have changed since the assignment, and agents' mail must never reach a customer.
   */
  protected assigneeOf(ticket: Ticket): string | null {
    const assignee = ticket.assignee;
    if (assignee === null || isCustomerOf(ticket, assignee)) return null;
    return isStaff(this.policy, this.queue(ticket), assignee) ? assignee : null;
  }

  /** To the queue's agents (and the assignee): they answer the mail, and the answer comes back to the queue and is relayed. */
  protected toQueueAgents(
    kind: AgentNotificationKind,
    ticket: Ticket,
    locale: string,
    thread: ThreadHeaders,
    context: NotificationContext,
  ): OutgoingMail {
    const queue = this.queue(ticket);
    return this.toStaff(
      kind,
      ticket,
      locale,
      thread,
      context,
      this.agentRecipients(ticket),
      queue.address,
      'auto-generated',
    );
  }

  protected toStaff(
    kind: AgentNotificationKind,
    ticket: Ticket,
    locale: string,
    thread: ThreadHeaders,
    context: NotificationContext,
    to: readonly MailAddress[],
    replyTo: string,
    autoSubmitted: NonNullable<OutgoingMail['autoSubmitted']>,
  ): OutgoingMail {
    const rendered = this.renderer.render(kind, locale, context);
    const queue = this.queue(ticket);
    return {
      from: this.queueSender(queue),
      to,
      replyTo: [{ address: replyTo, name: this.policy.brand.name }],
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      inReplyTo: thread.inReplyTo,
      references: thread.references,
      autoSubmitted,
      headers: { [ATENDE_TICKET_HEADER]: String(ticket.number) },
    };
  }

  private toCustomers(
    kind: NotificationKind,
    ticket: Ticket,
    locale: string,
    thread: ThreadHeaders,
    context: NotificationContext,
    autoSubmitted: OutgoingMail['autoSubmitted'],
  ): OutgoingMail {
    const rendered = this.renderer.render(kind, locale, context);
    const queue = this.queue(ticket);
    const to: MailAddress[] = [{ address: ticket.requester, name: ticket.requesterName }];
    // Participants were bounded and checked when they joined; this holds even for a ticket stored before that.
    const cc = ticket.participants
      .filter((address) => address !== ticket.requester && isMailableAddress(address))
      .slice(0, this.policy.participants.max)
      .map((address) => ({ address }));
    return {
      from: this.queueSender(queue),
      to,
      cc,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      inReplyTo: thread.inReplyTo,
      references: thread.references,
      ...(autoSubmitted ? { autoSubmitted } : {}),
      headers: { [ATENDE_TICKET_HEADER]: String(ticket.number) },
    };
  }

  private queueSender(queue: Queue): MailAddress {
    return { address: queue.address, name: this.policy.brand.name };
  }

  protected queue(ticket: Ticket): Queue {
    return ticketQueue(this.policy, ticket);
  }
}

/**
 * Mail about a ticket threads under its conversation with the customer: In-Reply-To the last
 * message of it, References its ids (the last 20), never the ids of internal notices.
 */
export function conversationThread(messages: readonly TicketMessage[]): ThreadHeaders {
  const ids = messages
    .filter((message) => message.messageId !== null && isCustomerVisible(message.purpose))
    .map((message) => message.messageId as string);
  return { inReplyTo: ids.at(-1) ?? null, references: ids.slice(-20) };
}
