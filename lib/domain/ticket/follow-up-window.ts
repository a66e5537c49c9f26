import type { Policy } from '../policy/policy-schema.ts';
import type { FollowUpWindow, Ticket } from './ticket.ts';

/**
 * The follow-up throttle (`conduct.minFollowUpInterval`; seed 004: "no follow-ups closer than 40
 * minutes"). It withholds what the customer gets, never what the agents get:
 *
 * - A customer's message that reaches the agents opens a window of the interval from its arrival.
 *   A ticket without a window (a new ticket, or one stored before windows) has one from its last
 *   customer message, which reached the agents.
 * - A follow-up that arrives before the window ends is held: recorded on the ticket and marked
 *   (`heldUntil`), and no mail goes out for it (a follow-up never gets an acknowledgement).
 * - When the window ends, its timer (`follow-ups`) sends the agents every follow-up held in it in
 *   one mail, oldest first, and empties the window. The ended window stays on the ticket: the next
 *   follow-up reaches the agents and opens the next window.
 * - A follow-up that arrives after the window ended but before its mail went (a late timer) reaches
 *   the agents and opens a new window; the held ones go in their own mail first, in the same change.
 *
 * A window does not move while it holds follow-ups, so a customer writing every 30 minutes to a
 * 40-minute throttle is not held for ever: every other message is held, and each window's mail goes
 * at its end. Without an interval in the policy nothing is held (what was held before still goes).
 */
export type FollowUpDecision =
  /** Held in `window` (the ticket's window, with the follow-up added). */
  | { readonly held: true; readonly window: FollowUpWindow }
  /**
   * Reaches the agents now, with `released` (the follow-ups that were held, oldest first) going to
   * them in the same change; `window` is the ticket's window after.
   */
  | { readonly held: false; readonly window: FollowUpWindow | null; readonly released: readonly number[] };

/** Whether the caller has a held follow-up's message to quote (it read the ticket's messages before it). */
export type Quotable = (sequence: number) => boolean;

const iso = (instant: number): string => new Date(instant).toISOString();

/** The window the ticket is in: its own, or, on a ticket without one, the interval from its last customer message. */
export function currentWindow(
  policy: Policy,
  ticket: Pick<Ticket, 'followUpWindow' | 'lastCustomerMessageAt'>,
): FollowUpWindow | null {
  if (ticket.followUpWindow !== null) return ticket.followUpWindow;
  const minimum = policy.conduct.minFollowUpInterval;
  if (minimum === undefined || ticket.lastCustomerMessageAt === null) return null;
  return { until: iso(Date.parse(ticket.lastCustomerMessageAt) + minimum * 60_000), held: [] };
}

/** What becomes of a customer's follow-up arriving at `now` as message `sequence` of the ticket. */
export function decideFollowUp(
  policy: Policy,
  ticket: Pick<Ticket, 'followUpWindow' | 'lastCustomerMessageAt'>,
  arrival: { readonly now: number; readonly sequence: number },
  quotable: Quotable = () => true,
): FollowUpDecision {
  const minimum = policy.conduct.minFollowUpInterval;
  const window = currentWindow(policy, ticket);
  if (minimum !== undefined && window !== null && arrival.now < Date.parse(window.until))
    return { held: true, window: { until: window.until, held: [...window.held, arrival.sequence] } };
  const opened = minimum === undefined ? null : { until: iso(arrival.now + minimum * 60_000), held: [] };
  if (window === null || window.held.length === 0) return { held: false, window: opened, released: [] };
  const release = releaseHeldFollowUps(window, quotable);
  // A follow-up held after the caller read the messages keeps its ended window: its timer is due at once.
  return { held: false, window: release.window.held.length > 0 ? release.window : opened, released: release.released };
}

/**
 * The held follow-ups that go to the agents now (the window's timer acted, or a later follow-up
 * reached them): every one the caller can quote, oldest first. One held after the caller read the
 * ticket's messages stays held in the window, so the next mail takes it: none is lost or sent twice.
 */
export function releaseHeldFollowUps(
  window: FollowUpWindow,
  quotable: Quotable,
): { readonly released: readonly number[]; readonly window: FollowUpWindow } {
  const released = window.held.filter(quotable);
  return { released, window: { until: window.until, held: window.held.filter((sequence) => !quotable(sequence)) } };
}
