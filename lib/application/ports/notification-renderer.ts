import type { AgentCommandKind } from '../../domain/ticket/agent-command-words.ts';
import type { CommandProblem } from '../../domain/ticket/agent-commands.ts';
import type { AgentReplyRefusal } from '../../domain/ticket/agent-reply-extraction.ts';
import type { HeldFollowUpQuotes } from '../../domain/ticket/held-follow-ups.ts';
import type { OutboundPurpose } from '../../domain/ticket/message-purpose.ts';
import type { RecentMessage } from '../../domain/ticket/recent-conversation.ts';
import type { AttachmentWithholding, DeclinedParticipant } from '../../domain/ticket/ticket.ts';

export type { DeclinedParticipant };

/** Every notification atende sends, each a template set per language under templates/<locale>/. */
export const NOTIFICATION_KINDS = [
  'acknowledgement',
  'agent-new-ticket',
  'agent-customer-reply',
  'agent-reply-relay',
  'suspended-notice',
  'agent-relay-refused',
  'agent-unauthenticated-staff',
  'agent-sla-alert',
  'escalation',
  'waiting-reminder',
  'auto-close-notice',
  'resolution-summary',
  'agent-held-follow-ups',
  'agent-commands-applied',
  'agent-internal-note',
  'agent-attachments-withheld',
] as const satisfies readonly OutboundPurpose[];
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The kinds that go to agents, never to a customer; each carries `agentNotice`. */
export const AGENT_NOTIFICATION_KINDS = [
  'agent-new-ticket',
  'agent-customer-reply',
  'agent-relay-refused',
  'agent-unauthenticated-staff',
  'agent-sla-alert',
  'escalation',
  'agent-held-follow-ups',
  'agent-commands-applied',
  'agent-internal-note',
  'agent-attachments-withheld',
] as const satisfies readonly NotificationKind[];
export type AgentNotificationKind = (typeof AGENT_NOTIFICATION_KINDS)[number];

/** SPF, DKIM and DMARC verdicts as received (SES codes: PASS, FAIL, GRAY, PROCESSING_FAILED …); null when none was given. */
export interface SenderVerdicts {
  readonly spf: string | null;
  readonly dkim: string | null;
  readonly dmarc: string | null;
}

/** The ticket as templates see it. */
export interface TicketView {
  readonly number: number;
  /** The subject as the customer wrote it. */
  readonly subject: string;
  /** The subject with the tag, e.g. `[Atende #1042] Printer on fire`. */
  readonly taggedSubject: string;
  readonly status: string;
  /** The status's name in the template's language, from the policy. */
  readonly statusLabel: string;
  readonly queue: string;
  readonly queueAddress: string;
  readonly priority: string;
  readonly plan: string | null;
  readonly requester: string;
  readonly requesterName: string | null;
  readonly channel: string;
  /** The agent the ticket is assigned to; null when unassigned. */
  readonly assignee: string | null;
}

/** Everything a template may use; each kind uses what it needs (see templates/README.md). */
export interface NotificationContext {
  readonly brand: { readonly name: string; readonly tag: string };
  readonly ticket: TicketView;
  /** SLA due times, ISO-8601, and the zone to show them in. */
  readonly sla?: {
    readonly firstResponseDue: string | null;
    readonly resolutionDue: string | null;
    readonly timeZone: string;
  };
  /** Acknowledgement: the kinds of secret we masked in the stored copy (api-key, password, card-number …). */
  readonly maskedSecrets?: readonly string[];
  /** Acknowledgement: the policy's conduct rules to cite politely, in the customer's language. */
  readonly conductRules?: readonly string[];
  /** Acknowledgement: the ticket this one was merged into or closed as a duplicate of. */
  readonly duplicateOf?: number | null;
  /** Agent notifications: the priority with the policy's response strategy. */
  readonly priority?: { readonly name: string; readonly description: string; readonly responseStrategy: string | null };
  /** Agent notifications: what agents should look at twice (shouting, rude-words, secrets-masked, duplicate). */
  readonly flags?: readonly string[];
  /** The message being acknowledged, notified or relayed (text as stored: redacted). */
  readonly message?: {
    readonly from: string;
    readonly fromName: string | null;
    readonly text: string;
    readonly at: string;
  };
  /** Suspended-support notice: what the policy says about suspension. */
  readonly suspensionNotice?: string | null;
  /**
   * Every kind to agents: the reply marker line (first thing in the body; null where a reply
   * to the mail does not reach the customer) and the banner saying the mail is internal, in
   * the template's language (lib/domain/ticket/agent-notice-markers.ts).
   */
  readonly agentNotice?: { readonly replyMarker: string | null; readonly banner: string };
  /** agent-new-ticket, agent-customer-reply: addresses the customer Cc'd that were not added to the ticket. */
  readonly declinedParticipants?: readonly DeclinedParticipant[];
  /**
   * agent-relay-refused: why the agent's reply was not sent, when the agent sent it, the commands
   * not understood (none unless the reason is `commands-not-understood`) and the commands there are.
   */
  readonly relayRefusal?: {
    readonly reason: AgentReplyRefusal;
    readonly at: string;
    readonly problems: readonly CommandProblem[];
    readonly commands: CommandHelpView;
  };
  /** agent-commands-applied: what the agent's commands changed, and whether the requester got the resolution summary. */
  readonly commandsApplied?: {
    readonly changes: readonly AppliedChangeView[];
    readonly resolutionSent: boolean;
    readonly at: string;
  };
  /** agent-unauthenticated-staff: the staff address the mail claims, when it came, and its verdicts. */
  readonly unauthenticatedStaff?: {
    readonly from: string;
    readonly fromName: string | null;
    readonly at: string;
    readonly verdicts: SenderVerdicts;
  };
  /** agent-sla-alert, escalation: the target and where its clock stands. */
  readonly slaAlert?: SlaAlertView;
  /** escalation: who this level goes to (name, role, address). */
  readonly escalationContacts?: readonly { readonly name: string; readonly role: string; readonly address: string }[];
  /** escalation: the ticket's last messages of the customer's conversation (at most 3, redacted, cut), oldest first. */
  readonly recentMessages?: readonly RecentMessageView[];
  /** waiting-reminder, auto-close-notice: the wait, when it closes (reminder), and until when a reply reopens (auto-close). */
  readonly waiting?: WaitingView;
  /** resolution-summary: when it was opened and resolved, and the agent's note for the customer. */
  readonly resolution?: ResolutionView;
  /** resolution-summary, auto-close-notice: the two signed survey links, or null where the policy sends no survey. */
  readonly survey?: SurveyLinks | null;
  /** agent-held-follow-ups: the follow-ups the throttle held, oldest first (quoted, cut), and how many more were not quoted. */
  readonly heldFollowUps?: HeldFollowUpQuotes;
  /** agent-new-ticket, agent-customer-reply, agent-attachments-withheld: the message's files, attached and not. */
  readonly attachments?: AttachmentsView;
  /** agent-attachments-withheld: when the agent's reply came. */
  readonly attachmentsWithheld?: { readonly at: string };
  /** acknowledgement, agent-reply-relay: the signed link to the ticket's status page (status-links.ts); null for none. */
  readonly statusUrl?: string | null;
}

/** The commands an agent may write, named in the template's language, and the values the policy has. */
export interface CommandHelpView {
  readonly names: Readonly<Record<AgentCommandKind, string>>;
  readonly statuses: readonly string[];
  readonly priorities: readonly string[];
  /** Empty when the policy has no plans. */
  readonly plans: readonly string[];
}

/** One thing an agent's commands set: what it was and is (statuses by their label), and whether that changed it. */
export interface AppliedChangeView {
  readonly field: 'status' | 'priority' | 'plan' | 'assignee';
  readonly from: string | null;
  readonly to: string | null;
  readonly changed: boolean;
}

/** A message's files as a mail about it shows them: those it attaches, and those it left out with why. */
export interface AttachmentsView {
  readonly attached: readonly AttachmentView[];
  readonly withheld: readonly (AttachmentView & { readonly reason: AttachmentWithholding })[];
}

export interface AttachmentView {
  /** The name as the sender gave it (control characters removed), or its safe name when it had none. */
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
}

/** A wait on the customer: since when, when it closes (reminder), until when a reply reopens (auto-close). */
export interface WaitingView {
  readonly since: string;
  readonly closesAt: string | null;
  readonly reopenUntil: string | null;
}

/** A resolved ticket: when it was opened and resolved, and the agent's note for the customer. */
export interface ResolutionView {
  readonly openedAt: string;
  readonly resolvedAt: string;
  readonly note: string | null;
}

/** The satisfaction survey's two signed links; each opens a page where a comment can be left. */
export interface SurveyLinks {
  readonly good: string;
  readonly bad: string;
}

/** Where an SLA target's clock stood when a timer acted on it (agent-sla-alert, escalation). */
export interface SlaAlertView {
  readonly target: 'firstResponse' | 'resolution';
  /** warning: the policy's warningAt share elapsed; breach: due and unmet (no escalation set); escalation: a level. */
  readonly stage: 'warning' | 'breach' | 'escalation';
  /** The escalation level (1 = at breach); null for a warning or breach. */
  readonly level: number | null;
  /** The target as the policy wrote it ("4h", "end of business day"). */
  readonly targetText: string;
  readonly dueAt: string;
  /** Business minutes on the ticket's calendar since its clock started, pauses left out, when the timer acted. */
  readonly elapsedBusinessMinutes: number;
  /** Business minutes the target allows. */
  readonly budgetBusinessMinutes: number;
  /** When the timer acted. */
  readonly at: string;
}

/** A message quoted in an escalation (text as stored: redacted, cut; `cut` says so), oldest first (recent-conversation.ts). */
export type RecentMessageView = RecentMessage;

export interface RenderedNotification {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** The one template renderer. */
export interface NotificationRenderer {
  render(kind: NotificationKind, locale: string, context: NotificationContext): RenderedNotification;
  /** The locales that have a full template set. */
  locales(): readonly string[];
}
