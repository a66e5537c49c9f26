import type { Policy } from '../domain/policy/policy-schema.ts';
import type { SlaClock } from '../domain/sla/sla-schedule.ts';
import type { OutboundPurpose } from '../domain/ticket/message-purpose.ts';
import type { Ticket, TicketMessage } from '../domain/ticket/ticket.ts';
import type { AttachmentStore } from './ports/attachment-store.ts';
import type { Clock } from './ports/clock.ts';
import type { Mailer, OutgoingMail } from './ports/mailer.ts';
import type { NotificationRenderer } from './ports/notification-renderer.ts';
import type { RawMailStore } from './ports/raw-mail-store.ts';
import type { StatusLinks } from './ports/status-links.ts';
import type { ActivityReporter } from './ports/support-activity.ts';
import type { SurveyLinks } from './ports/survey-links.ts';
import type {
  InboundReceipt,
  OwedAttachments,
  OwedEffect,
  OwedTimers,
  ReceiptOutcome,
  TicketStore,
} from './ports/ticket-store.ts';
import type { TimerScheduler } from './ports/timer-scheduler.ts';
import { ticketSchedule } from './ticket-schedule.ts';

/** What every channel's use cases need to open and change tickets (the kernel's ports). */
export interface TicketKernelDeps {
  readonly policy: Policy;
  readonly sla: SlaClock;
  readonly store: TicketStore;
  readonly mailer: Mailer;
  readonly renderer: NotificationRenderer;
  readonly clock: Clock;
  /** Where tickets' timers are scheduled (EventBridge Scheduler, the local timer loop). */
  readonly timers: TimerScheduler;
  /** The satisfaction survey's signed links (the resolution summary, the auto-close notice). */
  readonly surveyLinks: SurveyLinks;
  /** Where messages' files are stored (S3, a folder locally); settling owed attachments puts them there. */
  readonly attachments: AttachmentStore;
  /** The raw mail as received: settling owed attachments takes the files out of it. */
  readonly rawMail: RawMailStore;
  /** The signed link to the ticket's status page that acknowledgements and agents' replies carry. */
  readonly statusLinks: StatusLinks;
  /**
   * Where what happened is reported (tickets opened, mail sent or refused …): the Lambdas' metrics
   * and logs. Absent, nothing is reported: the local stack and the use-case tests need none.
   */
  readonly activity?: ActivityReporter;
}

/**
 * One event that opens or changes tickets (an inbound mail, a form post, a timer firing): its
 * idempotency key, the time it is decided at, and the raw input kept for it (quarantine names it).
 */
export interface TicketEvent {
  /** SES's messageId, the listener's hash, the form's Idempotency-Key …: a redelivery finds its receipt. */
  readonly key: string;
  readonly now: number;
  readonly rawKey: string | null;
  /** A hash of what the event said, remembered on its receipt (web-form idempotency). */
  readonly fingerprint?: string;
}

export const eventTime = (event: TicketEvent): string => new Date(event.now).toISOString();

/**
 * How long an attempt holds its receipt while it settles what it owes. Longer than a Lambda
 * attempt can run, so a redelivery never settles an effect an attempt still in flight is settling;
 * short enough that Lambda's retries (after about 1 and 3 minutes) find it free again.
 */
export const RECEIPT_LEASE_MS = 2 * 60_000;

/** A mail a change decided to send, before the kernel gives it its ticket and sequence. */
export interface MailToSend {
  readonly purpose: OutboundPurpose;
  readonly author: 'system' | 'agent';
  readonly mail: OutgoingMail;
}

/** An inbound message as a change decides it; the kernel gives it its ticket and sequence. */
export type MessageDraft = Omit<TicketMessage, 'ticketNumber' | 'sequence'>;

/** The receipt an event leaves: what it did and what it still owes, held by this attempt's lease. */
export function receiptFor(
  event: TicketEvent,
  outcome: ReceiptOutcome,
  ticketNumber: number | null,
  owed: readonly OwedEffect[],
): InboundReceipt {
  const at = eventTime(event);
  const settled = owed.length === 0;
  return {
    key: event.key,
    at,
    outcome,
    ticketNumber,
    owed,
    completedAt: settled ? at : null,
    leaseUntil: settled ? null : new Date(event.now + RECEIPT_LEASE_MS).toISOString(),
    ...(event.fingerprint === undefined ? {} : { fingerprint: event.fingerprint }),
  };
}

/**
 * "Re-plan timers", owed by every change of a ticket. What the ticket held before is the schedule
 * its plan had then, unless the change took a timer firing: the schedule that fired deletes itself.
 */
export const owedTimers = (deps: TicketKernelDeps, before: Ticket | null, after: Ticket): OwedTimers => ({
  kind: 'timers',
  ticketNumber: after.number,
  scheduled: before === null || before.timerFirings !== after.timerFirings ? null : ticketSchedule(deps, before),
});

/**
 * "Store the message's attachments", owed when a stored message came in a raw mail with files
 * that have keys (keyedAttachments gave them when the message got its ticket); null otherwise.
 */
export const owedAttachments = (message: TicketMessage | null): OwedAttachments[] => {
  if (message === null || message.rawKey === null) return [];
  const files = message.attachments.flatMap((attachment) =>
    attachment.key !== null && attachment.sha256 !== null
      ? [{ key: attachment.key, sha256: attachment.sha256, contentType: attachment.contentType }]
      : [],
  );
  // Two parts of one mail with the same content and name are one file under one key.
  const unique = [...new Map(files.map((file) => [file.key, file])).values()];
  return unique.length === 0
    ? []
    : [{ kind: 'attachments', ticketNumber: message.ticketNumber, rawKey: message.rawKey, files: unique }];
};

/** Mail owed on a ticket, taking the ticket's sequences after `firstSequence`, in order. */
export const owedMail = (
  ticketNumber: number | null,
  firstSequence: number,
  mail: readonly MailToSend[],
): OwedEffect[] =>
  mail.map((item, index) => ({
    kind: 'mail',
    purpose: item.purpose,
    author: item.author,
    ticketNumber,
    sequence: ticketNumber === null ? null : firstSequence + index,
    mail: item.mail,
  }));
