import { AtendeError } from '../domain/atende-error.ts';
import type { ContactSpec } from '../domain/policy/policy-schema.ts';
import { isCustomerOf } from '../domain/ticket/participants.ts';
import type { Ticket } from '../domain/ticket/ticket.ts';
import { NotificationMail, type ThreadHeaders } from './notification-mail.ts';
import type { MailAddress, OutgoingMail } from './ports/mailer.ts';
import type { RecentMessageView, SlaAlertView, SurveyLinks, WaitingView } from './ports/notification-renderer.ts';

/**
 * What a ticket's timers send (fire-timer.ts): the SLA warning or breach alert to the queue's
 * agents, an escalation level's mail to its contacts, and the requester's waiting reminder and
 * auto-close notice.
 */
export class TimerNotices extends NotificationMail {
  /**
   * To the queue's agents, in the policy's default language: a target's warning share has
   * passed, or it was breached with no escalation set. Replying answers the customer (the
   * reply comes back to the queue and is relayed), so it carries the reply marker.
   */
  slaAlert(ticket: Ticket, thread: ThreadHeaders, alert: SlaAlertView): OutgoingMail {
    const locale = this.policy.languages.default;
    const context = this.context(ticket, locale, {
      priority: this.priorityView(ticket),
      slaAlert: alert,
      agentNotice: this.agentNotice(locale, true),
    });
    return this.toQueueAgents('agent-sla-alert', ticket, locale, thread, context);
  }

  /**
   * To an escalation level's contacts: one mail per language among them (contacts sharing a
   * language share one mail, all in To), each in the contact's language, with the ticket's last
   * messages and every contact of the level. A reply answers the customer, through the queue.
   * Fails with `notification.recipientIsCustomer` when a contact is the ticket's requester or a
   * participant: this mail quotes internal facts and must never reach a customer.
   */
  escalation(
    ticket: Ticket,
    thread: ThreadHeaders,
    alert: SlaAlertView,
    contacts: readonly ContactSpec[],
    recent: readonly RecentMessageView[],
  ): OutgoingMail[] {
    const byLocale = new Map<string, MailAddress[]>();
    for (const contact of contacts) {
      const address = contact.address.toLowerCase();
      if (isCustomerOf(ticket, address)) {
        throw new AtendeError(
          'notification.recipientIsCustomer',
          `escalation contact ${address} is a customer of ticket #${ticket.number}`,
          { details: { ticket: ticket.number, level: alert.level, target: alert.target } },
        );
      }
      const locale = this.localeFor(contact.language ?? null);
      const recipients = byLocale.get(locale) ?? [];
      if (!recipients.some((recipient) => recipient.address.toLowerCase() === address)) {
        recipients.push({ address: contact.address, name: contact.name });
      }
      byLocale.set(locale, recipients);
    }
    const queue = this.queue(ticket);
    const escalationContacts = contacts.map(({ name, role, address }) => ({ name, role, address }));
    return [...byLocale].map(([locale, to]) => {
      const context = this.context(ticket, locale, {
        priority: this.priorityView(ticket),
        slaAlert: alert,
        escalationContacts,
        recentMessages: recent,
        agentNotice: this.agentNotice(locale, true),
      });
      return this.toStaff('escalation', ticket, locale, thread, context, to, queue.address, 'auto-generated');
    });
  }

  /** To the requester alone, in their language: the ticket still waits for their answer, and when it closes. */
  waitingReminder(ticket: Ticket, thread: ThreadHeaders, waiting: WaitingView): OutgoingMail {
    return this.toRequester('waiting-reminder', ticket, thread, { waiting });
  }

  /** To the requester alone: the ticket was closed for want of an answer, how to reopen it, and the survey when given. */
  autoCloseNotice(
    ticket: Ticket,
    thread: ThreadHeaders,
    waiting: WaitingView,
    survey: SurveyLinks | null,
  ): OutgoingMail {
    return this.toRequester('auto-close-notice', ticket, thread, { waiting, survey });
  }
}
