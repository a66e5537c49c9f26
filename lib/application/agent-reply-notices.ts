import { AtendeError } from '../domain/atende-error.ts';
import type { AttachmentSelection } from '../domain/attachments/attachment-forwarding.ts';
import { isStaff } from '../domain/routing/support-routing.ts';
import { commandNamesIn } from '../domain/ticket/agent-command-words.ts';
import type { CommandProblem } from '../domain/ticket/agent-commands.ts';
import type { AgentReplyRefusal } from '../domain/ticket/agent-reply-extraction.ts';
import { isCustomerOf } from '../domain/ticket/participants.ts';
import { SETTABLE_STATUSES, type Ticket } from '../domain/ticket/ticket.ts';
import { attachmentsView } from './attachment-mail.ts';
import { NotificationMail, QUOTED_TEXT_LIMIT, type ThreadHeaders } from './notification-mail.ts';
import type { MailAddress, OutgoingMail } from './ports/mailer.ts';
import type { AgentNotificationKind, AppliedChangeView, CommandHelpView } from './ports/notification-renderer.ts';

/**
 * What atende sends about an agent's own mail besides the relay: why it was not relayed and what
 * was not understood, the files left out of a relay, the confirmation of what a mail of commands
 * changed (each to its author alone, staff-checked), and an internal note (to the other agents).
 * None ever goes to a customer.
 */
export class AgentReplyNotices extends NotificationMail {
  /**
   * To the agent whose reply was relayed without some of its files, and to nobody else: which,
   * and why. Staff-checked like agentRelayRefused (`notification.recipientNotStaff`).
   */
  agentAttachmentsWithheld(
    ticket: Ticket,
    thread: ThreadHeaders,
    notice: { agent: MailAddress; attachments: AttachmentSelection; at: string },
  ): OutgoingMail {
    const queue = this.queue(ticket);
    const to = [this.staffAlone(ticket, notice.agent, 'agent-attachments-withheld')];
    const locale = this.policy.languages.default;
    const context = this.context(ticket, locale, {
      attachments: attachmentsView(notice.attachments),
      attachmentsWithheld: { at: notice.at },
      agentNotice: this.agentNotice(locale, true),
    });
    return this.toStaff(
      'agent-attachments-withheld',
      ticket,
      locale,
      thread,
      context,
      to,
      queue.address,
      'auto-replied',
    );
  }

  /**
   * To the agent whose reply was not relayed, and to nobody else: why, in the policy's default
   * language, threaded under the agent's mail (`thread` answers it). A reply to it, written above
   * its marker, comes back to the queue as a new answer. Fails with
   * `notification.recipientNotStaff` for an address that is not staff of the ticket's queue:
   * this notice must never reach a customer.
   */
  agentRelayRefused(
    ticket: Ticket,
    thread: ThreadHeaders,
    refusal: { agent: MailAddress; reason: AgentReplyRefusal; at: string; problems?: readonly CommandProblem[] },
  ): OutgoingMail {
    const to = this.staffAlone(ticket, refusal.agent, 'agent-relay-refused');
    const locale = this.policy.languages.default;
    const context = this.context(ticket, locale, {
      relayRefusal: {
        reason: refusal.reason,
        at: refusal.at,
        problems: refusal.problems ?? [],
        commands: this.commandHelp(locale),
      },
      agentNotice: this.agentNotice(locale, true),
    });
    const queue = this.queue(ticket);
    return this.toStaff('agent-relay-refused', ticket, locale, thread, context, [to], queue.address, 'auto-replied');
  }

  /**
   * The agent alone, checked: fails with `notification.recipientNotStaff` for an address that is
   * not staff of the ticket's queue, since a notice to one agent must never reach a customer.
   */
  private staffAlone(ticket: Ticket, agent: MailAddress, kind: AgentNotificationKind): MailAddress {
    const queue = this.queue(ticket);
    const address = agent.address.toLowerCase();
    if (!isStaff(this.policy, queue, address) || isCustomerOf(ticket, address)) {
      throw new AtendeError('notification.recipientNotStaff', `${address} is not staff of the ${queue.name} queue`, {
        details: { ticket: ticket.number, queue: queue.name, kind },
      });
    }
    return { address, name: agent.name ?? null };
  }

  /** The commands there are, named in `locale`, with the policy's statuses, priorities and plans. */
  private commandHelp(locale: string): CommandHelpView {
    return {
      names: commandNamesIn(locale),
      statuses: SETTABLE_STATUSES,
      priorities: this.policy.priorities.levels.map((level) => level.name),
      plans: this.policy.plans?.levels.map((level) => level.name) ?? [],
    };
  }

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
