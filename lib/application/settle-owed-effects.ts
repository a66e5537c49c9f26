import { type ErrorCode, isAtendeError } from '../domain/atende-error.ts';
import { attachmentKeyHash } from '../domain/attachments/attachment-keys.ts';
import type { OutboundPurpose } from '../domain/ticket/message-purpose.ts';
import type { MessageDelivery, TicketMessage } from '../domain/ticket/ticket.ts';
import {
  type AttachmentDeps,
  isPermanentAttachmentFailure,
  loadMailAttachments,
  storeOwedAttachments,
} from './owed-attachments.ts';
import type { Mailer } from './ports/mailer.ts';
import { type ActivityReporter, reportActivity } from './ports/support-activity.ts';
import type { OwedAttachments, OwedEffect, OwedMail, OwedTimers, RecordSentMailInput } from './ports/ticket-store.ts';
import { isPermanentTimerFailure, settleTimers, type TicketScheduleDeps } from './ticket-schedule.ts';

export interface SettleDeps extends TicketScheduleDeps, AttachmentDeps {
  readonly mailer: Mailer;
  readonly clock: { now(): number };
  readonly activity?: ActivityReporter;
}

export interface SettleWork {
  /** The receipt that owes the effects, or null for effects no event owes. */
  readonly receiptKey: string | null;
  readonly owed: readonly OwedEffect[];
  /** When the effects were decided: settled messages take it as their time, so a repeat rebuilds the same keys. */
  readonly decidedAt: string;
}

/**
 * Failures that sending again cannot cure: SES refused the message or its recipient, the
 * account is paused, or the mail cannot be composed (an address atende cannot send to). They
 * are recorded on the ticket and the effect is settled; retrying them would hold the event's
 * other mail and every later redelivery hostage to one bad address.
 */
const PERMANENT_MAIL_CODES: readonly string[] = [
  'mail.rejected',
  'mail.sendingPaused',
  'mail.invalidAddress',
  'mail.invalidHeader',
];

export const isPermanentMailFailure = (error: unknown): boolean =>
  isAtendeError(error) && (error.details['retryable'] === false || PERMANENT_MAIL_CODES.includes(error.code));

/**
 * How many times settled mail is recorded before the event fails. Recording runs after the mail
 * left, and an event that fails here is delivered again and sends the mail again: so a store
 * failure that may pass (contention, throttling, a 5xx, a timeout) is tried again first, here and
 * nowhere else. After a 5xx or a timeout the write may have happened: the next try then finds
 * its messages stored (`store.duplicateMessage`), which is as good as recorded.
 */
export const RECORD_SENT_MAIL_ATTEMPTS = 5;

/** Store failures that say nothing was wrong with the write itself. */
const TRANSIENT_STORE_FAILURES: readonly ErrorCode[] = ['store.contention', 'store.throttled', 'store.unavailable'];

/** Before the n-th try, 50 ms doubling: a concurrent writer or a throttled partition needs a moment. */
const pauseBeforeTry = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, 50 * 2 ** (attempt - 2)));

async function recordSettled(store: SettleDeps['store'], input: RecordSentMailInput): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    if (attempt > 1) await pauseBeforeTry(attempt);
    try {
      await store.recordSentMail(input);
      return;
    } catch (error) {
      // A resumed delivery, or a try whose answer was lost, recorded these messages already.
      if (isAtendeError(error, 'store.duplicateMessage')) return;
      const transient = isAtendeError(error) && TRANSIENT_STORE_FAILURES.includes(error.code);
      if (!transient || attempt >= RECORD_SENT_MAIL_ATTEMPTS) throw error;
    }
  }
}

type Settled =
  | { readonly effect: OwedMail; readonly delivery: MessageDelivery; readonly messageId: string | null }
  | { readonly effect: OwedTimers | OwedAttachments; readonly done: true }
  | { readonly effect: OwedEffect; readonly retry: unknown };

async function settleMail(deps: SettleDeps, effect: OwedMail): Promise<Settled> {
  try {
    const files = await loadMailAttachments(deps, effect.mail);
    const { messageId } = await deps.mailer.send(effect.mail, files);
    reportActivity(deps, { kind: 'mail-sent', ticketNumber: effect.ticketNumber, purpose: effect.purpose });
    return { effect, delivery: { status: 'sent' }, messageId };
  } catch (error) {
    if (!isPermanentMailFailure(error)) return { effect, retry: error };
    const code = isAtendeError(error) ? error.code : 'mail.failed';
    const reason = error instanceof Error ? error.message : String(error);
    reportActivity(deps, { kind: 'mail-failed', ticketNumber: effect.ticketNumber, purpose: effect.purpose, code });
    return {
      effect,
      delivery: { status: 'failed', code, reason, at: new Date(deps.clock.now()).toISOString() },
      messageId: null,
    };
  }
}

async function settleTimerPlan(deps: SettleDeps, effect: OwedTimers): Promise<Settled> {
  try {
    await settleTimers(deps, effect);
    return { effect, done: true };
  } catch (error) {
    // Given up for good: the ticket's next change or firing plans its timers again.
    if (isPermanentTimerFailure(error)) return { effect, done: true };
    return { effect, retry: error };
  }
}

async function settleAttachments(deps: SettleDeps, effect: OwedAttachments): Promise<Settled> {
  try {
    await storeOwedAttachments(deps, effect);
    return { effect, done: true };
  } catch (error) {
    // Given up for good: the raw mail keeps the files, and the mail goes without them.
    if (isPermanentAttachmentFailure(error)) return { effect, done: true };
    return { effect, retry: error };
  }
}

/** Whether a mail attaches a file of an attachments effect that is still owed: it must wait for it. */
const waitsFor = (effect: OwedMail, pending: readonly OwedAttachments[]): boolean => {
  const keys = new Set(pending.flatMap((owed) => owed.files.map((file) => file.key)));
  return (effect.mail.attachments ?? []).some((reference) => keys.has(reference.key));
};

/**
 * Settles what a change owes, each effect on its own. Attachments first: the mail attaches the
 * stored files, so a mail whose file could not be stored yet (a failure that may pass) stays owed
 * with it, unsent. Then all owed mail is sent at once, then one
 * write records every outcome: a sent mail becomes an outbound message with the Message-ID its
 * recipients see (so replies thread); a mail refused for good becomes an outbound message marked
 * failed, with the reason, for `atende tickets show` and agents to see; a mail that failed for a
 * reason that may pass (throttling, a timeout) stays owed on the receipt.
 *
 * If anything stays owed, the first such error is thrown after the record is written and the
 * receipt's lease ended, so the event is delivered again and the retry settles only what is left.
 * Sending together keeps the window in which a crash can repeat a mail (sent, not yet recorded)
 * as short as one send; the record is tried RECORD_SENT_MAIL_ATTEMPTS times before the event
 * fails and the window opens.
 * Returns the purposes of the mail sent, in the order owed.
 */
export async function settleOwedEffects(deps: SettleDeps, work: SettleWork): Promise<OutboundPurpose[]> {
  if (work.owed.length === 0) return [];
  const stored = await Promise.all(
    work.owed.flatMap((effect) => (effect.kind === 'attachments' ? [settleAttachments(deps, effect)] : [])),
  );
  const unstored = stored.flatMap((outcome) =>
    'retry' in outcome && outcome.effect.kind === 'attachments' ? [outcome.effect] : [],
  );
  const settled: Settled[] = [
    ...stored,
    ...(await Promise.all(
      work.owed.flatMap((effect): Promise<Settled>[] => {
        if (effect.kind === 'attachments') return [];
        if (effect.kind === 'timers') return [settleTimerPlan(deps, effect)];
        if (waitsFor(effect, unstored)) return [Promise.resolve({ effect, retry: null })];
        return [settleMail(deps, effect)];
      }),
    )),
  ];

  const mailDone = settled.flatMap((outcome) => ('delivery' in outcome ? [outcome] : []));
  const remaining = settled.flatMap((outcome) => ('retry' in outcome ? [outcome.effect] : []));
  const ticketNumber = work.owed.find((effect) => effect.ticketNumber !== null)?.ticketNumber ?? null;
  const messages = mailDone
    .filter((outcome) => outcome.effect.ticketNumber !== null && outcome.effect.sequence !== null)
    .map((outcome) => outboundMessage(outcome.effect, outcome.delivery, outcome.messageId, work.decidedAt));
  if (remaining.length < work.owed.length)
    await recordSettled(deps.store, { ticketNumber, messages, receiptKey: work.receiptKey, remaining });
  // The first failure that is an error: a mail held back for its attachments has none of its own.
  const failure = settled.find((outcome) => 'retry' in outcome);
  if (failure && 'retry' in failure) {
    // This attempt is over: the event's next delivery (Lambda retries after about a minute)
    // may settle what is left at once instead of being told to wait out the lease. Should the
    // release fail, the lease runs out by itself; the failure that matters is the one thrown.
    if (work.receiptKey !== null) await deps.store.releaseReceiptLease(work.receiptKey).catch(() => undefined);
    throw failure.retry;
  }
  return mailDone.filter((outcome) => outcome.delivery.status === 'sent').map((outcome) => outcome.effect.purpose);
}

function outboundMessage(
  effect: OwedMail,
  delivery: MessageDelivery,
  messageId: string | null,
  at: string,
): TicketMessage {
  const { mail } = effect;
  return {
    ticketNumber: effect.ticketNumber ?? 0,
    sequence: effect.sequence ?? 0,
    at,
    direction: 'outbound',
    author: effect.author,
    from: mail.from.address,
    to: mail.to.map((address) => address.address),
    cc: (mail.cc ?? []).map((address) => address.address),
    subject: mail.subject,
    text: mail.text,
    messageId,
    inReplyTo: mail.inReplyTo ?? null,
    references: [...(mail.references ?? [])],
    rawKey: null,
    // The files the mail carried: the status page offers a relayed reply's files to its customer.
    attachments: (mail.attachments ?? []).map((file) => ({
      filename: file.filename,
      contentType: file.contentType,
      size: file.size,
      key: file.key,
      sha256: attachmentKeyHash(file.key),
      inline: false,
      withheld: null,
    })),
    purpose: effect.purpose,
    contentKey: null,
    delivery,
    declinedParticipants: [],
    heldUntil: null,
  };
}
