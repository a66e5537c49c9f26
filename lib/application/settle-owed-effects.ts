import { isAtendeError } from '../domain/atende-error.ts';
import type { OutboundPurpose } from '../domain/ticket/message-purpose.ts';
import type { MessageDelivery, TicketMessage } from '../domain/ticket/ticket.ts';
import type { Mailer } from './ports/mailer.ts';
import type { OwedEffect, OwedMail, TicketStore } from './ports/ticket-store.ts';

export interface SettleDeps {
  readonly store: TicketStore;
  readonly mailer: Mailer;
  readonly clock: { now(): number };
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

type Settled =
  | { readonly effect: OwedMail; readonly delivery: MessageDelivery; readonly messageId: string | null }
  | { readonly effect: OwedMail; readonly retry: unknown };

/**
 * Settles what a change owes, each effect on its own. All owed mail is sent at once, then one
 * write records every outcome: a sent mail becomes an outbound message with the Message-ID its
 * recipients see (so replies thread); a mail refused for good becomes an outbound message marked
 * failed, with the reason, for `atende tickets show` and agents to see; a mail that failed for a
 * reason that may pass (throttling, a timeout) stays owed on the receipt.
 *
 * If anything stays owed, the first such error is thrown after the record is written, so the
 * event is delivered again and the retry settles only what is left. Sending together keeps the
 * window in which a crash can repeat a mail (sent, not yet recorded) as short as one send.
 * Returns the purposes of the mail sent, in the order owed.
 */
export async function settleOwedEffects(deps: SettleDeps, work: SettleWork): Promise<OutboundPurpose[]> {
  if (work.owed.length === 0) return [];
  const settled: Settled[] = await Promise.all(
    work.owed.map(async (effect): Promise<Settled> => {
      try {
        const { messageId } = await deps.mailer.send(effect.mail);
        return { effect, delivery: { status: 'sent' }, messageId };
      } catch (error) {
        if (!isPermanentMailFailure(error)) return { effect, retry: error };
        const code = isAtendeError(error) ? error.code : 'mail.failed';
        const reason = error instanceof Error ? error.message : String(error);
        return {
          effect,
          delivery: { status: 'failed', code, reason, at: new Date(deps.clock.now()).toISOString() },
          messageId: null,
        };
      }
    }),
  );

  const done = settled.flatMap((outcome) => ('delivery' in outcome ? [outcome] : []));
  const remaining = settled.flatMap((outcome) => ('retry' in outcome ? [outcome.effect] : []));
  const ticketNumber = work.owed.find((effect) => effect.ticketNumber !== null)?.ticketNumber ?? null;
  const messages = done
    .filter((outcome) => outcome.effect.ticketNumber !== null && outcome.effect.sequence !== null)
    .map((outcome) => outboundMessage(outcome.effect, outcome.delivery, outcome.messageId, work.decidedAt));
  if (done.length > 0) {
    try {
      await deps.store.recordSentMail({ ticketNumber, messages, receiptKey: work.receiptKey, remaining });
    } catch (error) {
      // A resumed delivery that finds its messages already recorded has nothing left to record.
      if (!isAtendeError(error, 'store.duplicateMessage')) throw error;
    }
  }
  const failure = settled.find((outcome) => 'retry' in outcome);
  if (failure && 'retry' in failure) throw failure.retry;
  return done.filter((outcome) => outcome.delivery.status === 'sent').map((outcome) => outcome.effect.purpose);
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
    attachments: [],
    purpose: effect.purpose,
    contentKey: null,
    delivery,
    declinedParticipants: [],
  };
}
