import type { Channel, TicketStatus } from '../policy/policy-schema.ts';
import type { MessagePurpose } from './message-purpose.ts';

export type { TicketStatus };

/** Statuses in which the ticket is still the requester's open ticket (threading, duplicates). */
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'open', 'in-progress', 'waiting-on-customer'];
export const isOpenStatus = (status: TicketStatus): boolean => OPEN_STATUSES.includes(status);

/** Statuses a person sets (the CLI, an agent's command); `new` is where a ticket starts, never where one is put back. */
export const SETTABLE_STATUSES: readonly TicketStatus[] = [
  'open',
  'in-progress',
  'waiting-on-customer',
  'resolved',
  'closed',
];

/** A span while the ticket waited on the customer; ISO instants, `end: null` while still waiting. */
export interface TicketPause {
  readonly start: string;
  readonly end: string | null;
}

/**
 * Why agents should look twice at a ticket: the customer's conduct (seeds 003, 004), what
 * atende did to the text, and mail that claimed more than it could prove.
 */
export const TICKET_FLAGS = [
  'shouting',
  'rude-words',
  'secrets-masked',
  'duplicate',
  'throttled-follow-up',
  /** A mail that claims a staff address failed sender authentication: kept, never relayed. */
  'unauthenticated-staff',
  /** A customer's mail failed SPF and DKIM: its text was kept, nothing else it asked for was done. */
  'unauthenticated-sender',
] as const;
export type TicketFlag = (typeof TICKET_FLAGS)[number];

/**
 * A support ticket as stored. Instants are ISO-8601 strings in UTC.
 * `version` grows by one with every write and guards optimistic concurrency.
 */
export interface Ticket {
  readonly number: number;
  readonly queue: string;
  /** Lower-cased address of the customer who opened the ticket. */
  readonly requester: string;
  readonly requesterName: string | null;
  /** Other customers on the conversation (Cc'd), lower-cased. */
  readonly participants: readonly string[];
  readonly subject: string;
  /** Subject without reply/forward prefixes and tags, lower-cased: the duplicate and threading key. */
  readonly normalizedSubject: string;
  readonly status: TicketStatus;
  readonly priority: string;
  readonly plan: string | null;
  readonly region: string | null;
  readonly channel: Channel;
  /** The language the customer is answered in. */
  readonly locale: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the customer's last message arrived. */
  readonly lastCustomerMessageAt: string | null;
  readonly firstResponseDue: string | null;
  readonly resolutionDue: string | null;
  readonly firstRespondedAt: string | null;
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
  readonly pauses: readonly TicketPause[];
  /** Highest escalation level reached; 0 before any breach. */
  readonly escalationLevel: number;
  /** Every timer that acted on the ticket (warnings, breaches, escalation levels, reminders, auto-close), oldest first. */
  readonly timerLog: readonly ActedTimer[];
  /**
   * How many timer firings reached the ticket, acting or stale. It names the ticket's next
   * schedule (ticket-timers.ts scheduleName): a fired schedule deletes itself after firing, and
   * must not take the next one, planned by that very firing, with it.
   */
  readonly timerFirings: number;
  /** The customer's answer to the satisfaction survey, recorded once; null until then. */
  readonly satisfaction: SatisfactionAnswer | null;
  readonly flags: readonly TicketFlag[];
  /** The open ticket this one repeats, when the policy closes duplicates (`conduct.duplicates: close`). */
  readonly duplicateOf: number | null;
  /**
   * The customer's follow-up throttle (`conduct.minFollowUpInterval`): until when follow-ups are
   * held back from the agents, and those held so far (follow-up-window.ts). Null on a ticket stored
   * before it, or when no follow-up has reached the agents since.
   */
  readonly followUpWindow: FollowUpWindow | null;
  readonly messageCount: number;
  /** The agent the ticket is assigned to (`#assign`, `#take`), lower-cased: always staff of its queue; null when unassigned. */
  readonly assignee: string | null;
  readonly version: number;
}

/** The throttle window of a ticket's follow-ups: it ends at `until`; the follow-ups held in it, by sequence, oldest first. */
export interface FollowUpWindow {
  readonly until: string;
  readonly held: readonly number[];
}

/** What fires on a ticket's clock (ticket-timers.ts says when). */
export const TIMER_KINDS = ['warning', 'breach', 'escalation', 'reminder', 'auto-close', 'follow-ups'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];
export const SLA_TARGETS = ['firstResponse', 'resolution'] as const;

/** A timer that acted: which (its timerKey), what it was planned for, and when it acted. */
export interface ActedTimer {
  readonly key: string;
  readonly kind: TimerKind;
  readonly target: (typeof SLA_TARGETS)[number] | null;
  readonly level: number | null;
  /** The instant it was planned for (a due time, a warning share, a wait's reminder …). */
  readonly dueAt: string;
  /** When it acted: the firing's time, at or after dueAt. */
  readonly at: string;
}

export const SATISFACTION_RATINGS = ['good', 'bad'] as const;
export type SatisfactionRating = (typeof SATISFACTION_RATINGS)[number];

/** A survey answer: the rating a signed link carried, and the comment given with it. */
export interface SatisfactionAnswer {
  readonly rating: SatisfactionRating;
  readonly comment: string | null;
  readonly at: string;
}

export type MessageDirection = 'inbound' | 'outbound';

/**
 * Who wrote a message, as far as the ticket is concerned. `unverified`: mail that claimed a staff
 * address and could not prove it; whoever wrote it, it was not shown to be the agent it names.
 */
export const MESSAGE_AUTHORS = ['requester', 'participant', 'agent', 'system', 'unverified'] as const;
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];

/**
 * Why an attachment was left out of the mail its message caused (the agents' notification of a
 * customer's message, the relay of an agent's reply): kept on the ticket either way.
 */
export const ATTACHMENT_WITHHOLDINGS = ['dangerous', 'too-large'] as const;
export type AttachmentWithholding = (typeof ATTACHMENT_WITHHOLDINGS)[number];

export interface MessageAttachment {
  /** As the sender named it (control characters removed, at most 255 characters); null when unnamed. */
  readonly filename: string | null;
  readonly contentType: string;
  /** Decoded size in bytes. */
  readonly size: number;
  /**
   * Where the bytes live in the attachment store (attachment-keys.ts), once the message is on a
   * ticket; null for a file not stored (messages stored before attachments were).
   */
  readonly key: string | null;
  /** SHA-256 of the decoded content, hex; null for messages stored before hashes were kept. */
  readonly sha256: string | null;
  /** Shown in the body (a `cid:` image, `Content-Disposition: inline`) rather than offered as a file. */
  readonly inline: boolean;
  /** Why the mail this message caused left it out; null when it went along, or no mail could carry it. */
  readonly withheld: AttachmentWithholding | null;
}

/** Why an address a customer named was not made a participant (seen by agents, never mailed). */
export const PARTICIPANT_DECLINE_REASONS = ['limit', 'unmailable', 'unauthenticated', 'own-address'] as const;
export type ParticipantDeclineReason = (typeof PARTICIPANT_DECLINE_REASONS)[number];

export interface DeclinedParticipant {
  readonly address: string;
  readonly reason: ParticipantDeclineReason;
}

/** What became of an outbound message: sent (with the Message-ID recipients see), or refused for good. */
export type MessageDelivery =
  | { readonly status: 'sent' }
  | {
      readonly status: 'failed';
      /** The mailer's error code, e.g. `mail.rejected`, `mail.invalidAddress`. */
      readonly code: string;
      readonly reason: string;
      readonly at: string;
    };

/** One message on a ticket. The text is stored redacted; the raw mail stays in the raw-mail store. */
export interface TicketMessage {
  readonly ticketNumber: number;
  /** 1-based position on the ticket; with `at` it forms the sort key. */
  readonly sequence: number;
  readonly at: string;
  readonly direction: MessageDirection;
  readonly author: MessageAuthor;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** Message-ID as the recipient sees it, with angle brackets; for SES mail the id SES assigned. */
  readonly messageId: string | null;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  /** Key of the raw message in the raw-mail store (inbound mail). */
  readonly rawKey: string | null;
  readonly attachments: readonly MessageAttachment[];
  /** What the message was for: a customer's words, an agent's reply, an internal notice … (message-purpose.ts). */
  readonly purpose: MessagePurpose;
  /**
   * The identity of an inbound mail without a Message-ID (`content:<hash of sender and content>`),
   * so the same mail delivered again is recognised; null when it has a Message-ID, and outbound.
   */
  readonly contentKey: string | null;
  /** Outbound: whether it was sent; null for inbound messages. */
  readonly delivery: MessageDelivery | null;
  /** Addresses this message named that were not made participants, and why. */
  readonly declinedParticipants: readonly DeclinedParticipant[];
  /**
   * A throttled follow-up: held back from the agents until this instant, then sent to them in one
   * mail with the others held in its window; null for every other message.
   */
  readonly heldUntil: string | null;
}
