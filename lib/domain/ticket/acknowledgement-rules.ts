import type { Policy } from '../policy/policy-schema.ts';
import type { Customer } from './customer.ts';
import type { TicketFlag } from './ticket.ts';

/**
 * At most one acknowledgement per sender in this window. An autoresponder that answers our
 * acknowledgement without any auto-reply header, and without threading headers, opens a new
 * ticket: that one gets no acknowledgement, so the loop stops after one mail each way.
 */
export const ACKNOWLEDGEMENT_INTERVAL_MS = 10 * 60_000;

const elapsedSince = (instant: string | null, now: number): number =>
  instant === null ? Number.POSITIVE_INFINITY : now - Date.parse(instant);

/** Whether this sender may get an acknowledgement now (rate limit per sender). */
export function acknowledgementAllowed(customer: Customer | null, now: number): boolean {
  return elapsedSince(customer?.lastAcknowledgedAt ?? null, now) >= ACKNOWLEDGEMENT_INTERVAL_MS;
}

/**
 * Whether an acknowledgement should cite the conduct rules: the message was flagged
 * (capitals, rude words) and the customer was not reminded within `conduct.noticeEvery`.
 */
export function conductNoticeDue(
  policy: Policy,
  customer: Customer | null,
  flags: readonly TicketFlag[],
  now: number,
): boolean {
  if (!flags.some((flag) => flag === 'shouting' || flag === 'rude-words')) return false;
  const every = policy.conduct.noticeEvery;
  return every === undefined || elapsedSince(customer?.lastConductNoticeAt ?? null, now) >= every * 60_000;
}
