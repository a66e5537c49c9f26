import type { AgentReplyRefusal } from '../../domain/ticket/agent-reply-extraction.ts';
import type { OutboundPurpose } from '../../domain/ticket/message-purpose.ts';
import type { DeclinedParticipant } from '../../domain/ticket/ticket.ts';

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
] as const satisfies readonly OutboundPurpose[];
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The kinds that go to agents, never to a customer; each carries `agentNotice`. */
export const AGENT_NOTIFICATION_KINDS = [
  'agent-new-ticket',
  'agent-customer-reply',
  'agent-relay-refused',
  'agent-unauthenticated-staff',
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
  /** agent-relay-refused: why the agent's reply was not sent, and when the agent sent it. */
  readonly relayRefusal?: { readonly reason: AgentReplyRefusal; readonly at: string };
  /** agent-unauthenticated-staff: the staff address the mail claims, when it came, and its verdicts. */
  readonly unauthenticatedStaff?: {
    readonly from: string;
    readonly fromName: string | null;
    readonly at: string;
    readonly verdicts: SenderVerdicts;
  };
}

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
