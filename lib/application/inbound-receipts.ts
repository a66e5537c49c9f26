import { AtendeError, isAtendeError } from '../domain/atende-error.ts';
import type { OutboundPurpose } from '../domain/ticket/message-purpose.ts';
import { reportActivity } from './ports/support-activity.ts';
import type { Customer, OwedEffect, QuarantineRecord } from './ports/ticket-store.ts';
import { settleOwedEffects } from './settle-owed-effects.ts';
import { eventTime, RECEIPT_LEASE_MS, receiptFor, type TicketEvent, type TicketKernelDeps } from './ticket-event.ts';

/** An event seen before: what it did, and what this delivery settled of what it still owed. */
export interface Redelivered {
  readonly outcome: 'duplicate';
  readonly ticketNumber: number | null;
  readonly sent: readonly OutboundPurpose[];
}

/**
 * The event was processed before (its receipt exists). What its first attempt left owed is
 * settled now, unless another attempt holds the receipt's lease (it may still be sending):
 * then `inbound.inProgress`, and the event is retried later. A lease ends, so no receipt stays
 * "in progress" for ever; an effect that failed for good was settled when it failed.
 */
export async function resumeEvent(deps: TicketKernelDeps, event: TicketEvent): Promise<Redelivered> {
  const now = eventTime(event);
  const { receipt, leased } = await deps.store.leaseReceipt({
    key: event.key,
    now,
    until: new Date(event.now + RECEIPT_LEASE_MS).toISOString(),
  });
  if (receipt.owed.length === 0) return { outcome: 'duplicate', ticketNumber: receipt.ticketNumber, sent: [] };
  if (!leased) {
    throw new AtendeError('inbound.inProgress', `Inbound event ${event.key} is still being processed; retry later`, {
      details: { receiptKey: event.key, leaseUntil: receipt.leaseUntil },
    });
  }
  const sent = await settleOwedEffects(deps, { receiptKey: event.key, owed: receipt.owed, decidedAt: receipt.at });
  return { outcome: 'duplicate', ticketNumber: receipt.ticketNumber, sent };
}

export interface Quarantine {
  /** A stable code, e.g. `inbound.spam`, `inbound.unparseable`. */
  readonly reason: string;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
  /** Stored with the record (e.g. the suspended customer's lastAcknowledgedAt). */
  readonly customer?: Customer;
  /** Mail owed although nothing else happens (the suspended-support notice). */
  readonly owed?: readonly OwedEffect[];
}

export type Quarantined = { readonly outcome: 'quarantined'; readonly reason: string } | Redelivered;

/**
 * Characters of each quarantine detail kept. Details quote the evidence (a classification
 * reason names the header that decided, with its value), the raw mail keeps all of it, and
 * the record is one item of at most 400 KB: a 900 KB List-Id made the record too large to
 * store, and the mail was retried instead of quarantined.
 */
export const QUARANTINE_DETAIL_CHARS = 2_000;

const keptDetails = (details: Quarantine['details']): Quarantine['details'] =>
  Object.fromEntries(
    Object.entries(details).map(([name, value]) => [
      name,
      typeof value === 'string' && value.length > QUARANTINE_DETAIL_CHARS
        ? `${value.slice(0, QUARANTINE_DETAIL_CHARS)}…`
        : value,
    ]),
  );

/**
 * Mail that goes no further: kept raw, its receipt and its quarantine record written together
 * (one write, so a crash cannot leave one without the other), and what it owes settled.
 */
export async function quarantineEvent(
  deps: TicketKernelDeps,
  event: TicketEvent,
  quarantine: Quarantine,
): Promise<Quarantined> {
  const owed = quarantine.owed ?? [];
  const record: QuarantineRecord = {
    key: event.key,
    reason: quarantine.reason,
    rawKey: event.rawKey,
    at: eventTime(event),
    details: keptDetails(quarantine.details),
  };
  try {
    await deps.store.quarantineMail({
      receipt: receiptFor(event, 'quarantined', null, owed),
      record,
      ...(quarantine.customer ? { customer: quarantine.customer } : {}),
    });
  } catch (error) {
    if (isAtendeError(error, 'store.duplicateReceipt')) return resumeEvent(deps, event);
    throw error;
  }
  reportActivity(deps, { kind: 'message-quarantined', reason: quarantine.reason });
  await settleOwedEffects(deps, { receiptKey: event.key, owed, decidedAt: record.at });
  return { outcome: 'quarantined', reason: quarantine.reason };
}
