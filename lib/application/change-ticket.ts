import { AtendeError, isAtendeError } from '../domain/atende-error.ts';
import { keyedAttachments } from '../domain/attachments/attachment-keys.ts';
import type { OutboundPurpose } from '../domain/ticket/message-purpose.ts';
import { claimLifetime } from '../domain/ticket/threading.ts';
import type { Ticket, TicketMessage } from '../domain/ticket/ticket.ts';
import { type Quarantined, quarantineEvent, type Redelivered, resumeEvent } from './inbound-receipts.ts';
import { reportActivity, type SupportActivity } from './ports/support-activity.ts';
import type { Customer, ThreadClaim } from './ports/ticket-store.ts';
import { settleOwedEffects } from './settle-owed-effects.ts';
import {
  eventTime,
  type MailToSend,
  type MessageDraft,
  owedAttachments,
  owedMail,
  owedTimers,
  receiptFor,
  type TicketEvent,
  type TicketKernelDeps,
} from './ticket-event.ts';

/** How many times a change is decided again on a ticket that changed under it before giving up. */
export const CHANGE_ATTEMPTS = 5;

/** What a change decides for the ticket as it is now; `changeTicket` may ask again on a newer ticket. */
export interface TicketChange<R> {
  /** The ticket after the change. Its messageCount is the kernel's: it reserves the sequences. */
  readonly next: Ticket;
  /** The message the event adds; null when it adds none (a timer acting, a status set from the CLI). */
  readonly message: MessageDraft | null;
  /** Mail owed because of it, built from `next`. */
  readonly mail: readonly MailToSend[];
  /** Stored in the same transaction (last write wins). */
  readonly customer?: Customer;
  /** Thread claims (threading.ts) the message makes; one held by another ticket is dropped. */
  readonly threadClaims?: readonly string[];
  /** What the change did, reported once it is committed (never for a decision a retry replaced). */
  readonly activity?: readonly SupportActivity[];
  /** What the caller wants back once it is done. */
  readonly result: R;
}

export type ChangeOutcome<R> =
  | {
      readonly outcome: 'changed';
      readonly ticket: Ticket;
      readonly sent: readonly OutboundPurpose[];
      readonly result: R;
    }
  | { readonly outcome: 'unchanged'; readonly ticket: Ticket }
  | Redelivered
  | Quarantined;

/** The claims a message makes, for the ticket it goes to, live from the event for as long as their kind needs. */
export const claimsFor = (keys: readonly string[], ticketNumber: number, event: TicketEvent): ThreadClaim[] =>
  keys.map((key) => ({
    key,
    ticketNumber,
    claimedAt: eventTime(event),
    expiresAt: new Date(event.now + claimLifetime(key)).toISOString(),
  }));

/**
 * The message's identity (Message-ID, or content key) is already on a ticket. From the same
 * sender it is the same mail again (an SMTP retry after a lost reply, one mail in two envelopes):
 * the event is recorded as seen and nothing else happens. Otherwise (a broken client, or an
 * attempt to hijack a thread) null: the caller stores the mail without claiming the identity.
 */
export async function sameMailSeen(
  deps: TicketKernelDeps,
  event: TicketEvent,
  message: Pick<TicketMessage, 'messageId' | 'contentKey' | 'from'>,
): Promise<Redelivered | null> {
  const identity = message.messageId ?? message.contentKey;
  if (identity === null) return null;
  const number = await deps.store.ticketForMessageIds([identity]);
  const earlier = number === null ? [] : await deps.store.listMessages(number);
  const same = earlier.some(
    (other) => (other.messageId === identity || other.contentKey === identity) && other.from === message.from,
  );
  if (!same) return null;
  try {
    await deps.store.recordReceipt(receiptFor(event, 'ignored', number, []));
  } catch (error) {
    if (!isAtendeError(error, 'store.duplicateReceipt')) throw error;
  }
  return { outcome: 'duplicate', ticketNumber: number, sent: [] };
}

/** What went wrong with a commit, as the loops below act on it. */
export type CommitFailure =
  | { readonly kind: 'seen-before' }
  | { readonly kind: 'identity-taken' }
  | { readonly kind: 'too-large'; readonly error: AtendeError }
  | { readonly kind: 'claimed'; readonly claims: readonly { key: string; ticketNumber: number }[] }
  | { readonly kind: 'stale' };

/** Reads a store error as one of the outcomes a ticket commit can have; anything else is rethrown. */
export function commitFailure(error: unknown): CommitFailure {
  if (isAtendeError(error, 'store.duplicateReceipt')) return { kind: 'seen-before' };
  if (isAtendeError(error, 'store.duplicateMessageId')) return { kind: 'identity-taken' };
  if (isAtendeError(error, 'store.itemTooLarge')) return { kind: 'too-large', error };
  if (isAtendeError(error, 'store.threadClaimed')) {
    const claims = error.details['claims'];
    return {
      kind: 'claimed',
      claims: Array.isArray(claims) ? (claims as { key: string; ticketNumber: number }[]) : [],
    };
  }
  if (isAtendeError(error, 'store.versionConflict') || isAtendeError(error, 'store.contention'))
    return { kind: 'stale' };
  throw error;
}

export const quarantineTooLarge = (deps: TicketKernelDeps, event: TicketEvent, error: AtendeError) =>
  quarantineEvent(deps, event, { reason: 'inbound.tooLargeToStore', details: { error: error.message } });

/**
 * The one way to change an existing ticket. Reads nothing itself: `start` is the ticket as the
 * caller found it. `decide` is a pure function of the ticket; on a version conflict the ticket is
 * read again and `decide` asked again, at most CHANGE_ATTEMPTS times. One transaction then holds
 * the ticket (version-checked), the event's message, its receipt with the mail owed, the thread
 * claims and the customer; the mail owed is settled after it.
 *
 * A redelivered event (its receipt exists) settles what is still owed instead; a message whose
 * Message-ID another mail already has is stored without it; a message too large to store is
 * quarantined. `decide` returning null means there is nothing to change.
 */
export async function changeTicket<R>(
  deps: TicketKernelDeps,
  event: TicketEvent,
  start: Ticket,
  decide: (ticket: Ticket) => TicketChange<R> | null,
): Promise<ChangeOutcome<R>> {
  let ticket = start;
  let claimIdentity = true;
  const lostClaims = new Set<string>();
  for (let attempt = 1; ; attempt += 1) {
    const change = decide(ticket);
    if (change === null) {
      // Nothing to change may mean this event changed the ticket already and its settle failed: a
      // redelivered status change finds the status set. What that delivery still owes is settled.
      if ((await deps.store.getReceipt(event.key)) !== null) return resumeEvent(deps, event);
      return { outcome: 'unchanged', ticket };
    }
    const sequence = ticket.messageCount + 1;
    const mailFrom = change.message === null ? sequence : sequence + 1;
    const mail = owedMail(ticket.number, mailFrom, change.mail);
    const message: TicketMessage | null =
      change.message === null
        ? null
        : {
            ...change.message,
            attachments: keyedAttachments(ticket.number, change.message.attachments),
            ...(claimIdentity ? {} : { messageId: null, contentKey: null }),
            ticketNumber: ticket.number,
            sequence,
          };
    const owed = [...owedAttachments(message), ...mail, owedTimers(deps, ticket, change.next)];
    const receipt = receiptFor(event, 'threaded', ticket.number, owed);
    let stored: Ticket;
    try {
      stored = await deps.store.addMessage({
        ticket: { ...change.next, messageCount: mailFrom - 1 + mail.length },
        expectedVersion: ticket.version,
        message,
        receipt,
        ...(change.customer ? { customer: change.customer } : {}),
        threadClaims: claimsFor(
          (change.threadClaims ?? []).filter((key) => !lostClaims.has(key)),
          ticket.number,
          event,
        ),
      });
    } catch (error) {
      const failure = commitFailure(error);
      if (failure.kind === 'seen-before') return resumeEvent(deps, event);
      if (failure.kind === 'too-large') return quarantineTooLarge(deps, event, failure.error);
      if (failure.kind === 'identity-taken' && claimIdentity && message !== null) {
        const again = await sameMailSeen(deps, event, message);
        if (again) return again;
        claimIdentity = false;
        continue;
      }
      // A mail of another ticket claimed this thread first: this message stays on its ticket without the claim.
      if (failure.kind === 'claimed' && failure.claims.length > 0) {
        for (const claim of failure.claims) lostClaims.add(claim.key);
        continue;
      }
      if (failure.kind !== 'stale') throw error;
      if (attempt >= CHANGE_ATTEMPTS) {
        throw new AtendeError(
          'store.conflictRetriesExhausted',
          `Ticket ${ticket.number} kept changing; gave up after ${attempt} attempts`,
          { cause: error, details: { ticketNumber: ticket.number, attempts: attempt } },
        );
      }
      const fresh = await deps.store.getTicket(ticket.number);
      if (!fresh) {
        throw new AtendeError('store.ticketNotFound', `Ticket ${ticket.number} disappeared while it was changed`, {
          cause: error,
          details: { ticketNumber: ticket.number },
        });
      }
      ticket = fresh;
      continue;
    }
    for (const activity of change.activity ?? []) reportActivity(deps, activity);
    const sent = await settleOwedEffects(deps, { receiptKey: event.key, owed, decidedAt: receipt.at });
    return { outcome: 'changed', ticket: stored, sent, result: change.result };
  }
}
