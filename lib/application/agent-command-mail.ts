import type { Ticket } from '../domain/ticket/ticket.ts';
import { NotificationMail, QUOTED_TEXT_LIMIT, type ThreadHeaders } from './notification-mail.ts';
import type { MailAddress, OutgoingMail } from './ports/mailer.ts';
import type { AppliedChangeView } from './ports/notification-renderer.ts';

/**
 * The mail an agent's commands make besides the relay: the confirmation of what a mail of
 * commands changed (to its author alone), and an internal note (to the other agents). Neither
 * ever goes to a customer.
 */
export class AgentCommandMail extends NotificationMail {
  /**
   * To the agent alone, in the policy's default language, threaded under their mail: what their
   * commands changed, statuses by their label. A reply to it written above its marker answers the
   * customer, as the agents' notices do. `notification.recipientNotStaff` for an address that is
   * not staff of the ticket's queue.
   */
  agentCommandsApplied(
    before: Ticket,
    after: Ticket,
    thread: ThreadHeaders,
    applied: { agent: MailAddress; asked: readonly AppliedChangeView['field'][]; resolutionSent: boolean; at: string },
  ): OutgoingMail {
    const to = this.staffAlone(after, applied.agent, 'agent-commands-applied');
    const locale = this.policy.languages.default;
    const statusLabel = (ticket: Ticket) => this.ticketView(ticket, locale).statusLabel;
    const values: Record<AppliedChangeView['field'], (ticket: Ticket) => string | null> = {
      status: statusLabel,
      priority: (ticket) => ticket.priority,
      plan: (ticket) => ticket.plan,
      assignee: (ticket) => ticket.assignee,
    };
    const changes = applied.asked.map((field): AppliedChangeView => {
      const from = values[field](before);
      const to = values[field](after);
      return { field, from, to, changed: from !== to };
    });
    const context = this.context(after, locale, {
      commandsApplied: { changes, resolutionSent: applied.resolutionSent, at: applied.at },
      agentNotice: this.agentNotice(locale, true),
    });
    const queue = this.queue(after);
    return this.toStaff('agent-commands-applied', after, locale, thread, context, [to], queue.address, 'auto-replied');
  }

  /**
   * An agent's internal note, to the queue's agents address and the assignee unless they wrote it,
   * in the policy's default language. Replies go to the agents' address, never back to the queue:
   * an answer to a note must not be relayed to the customer, so it has no reply marker.
   */
  agentInternalNote(
    ticket: Ticket,
    thread: ThreadHeaders,
    note: { from: string; fromName: string | null; text: string; at: string },
  ): OutgoingMail {
    const locale = this.policy.languages.default;
    const queue = this.queue(ticket);
    const author = note.from.toLowerCase();
    const assignee = this.assigneeOf(ticket);
    const to = [
      { address: queue.agents },
      ...(assignee === null || assignee === author ? [] : [{ address: assignee }]),
    ];
    const context = this.context(ticket, locale, {
      message: { ...note, text: note.text.slice(0, QUOTED_TEXT_LIMIT) },
      agentNotice: this.agentNotice(locale, false),
    });
    return this.toStaff('agent-internal-note', ticket, locale, thread, context, to, queue.agents, 'auto-generated');
  }
}
