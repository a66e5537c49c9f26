import type { Policy } from '../policy/policy-schema.ts';
import { isOpenStatus, type Ticket } from './ticket.ts';

/** How an inbound mail found its ticket, in the order atende tries. */
export type ThreadedVia = 'message-id' | 'subject-tag' | 'subject';

/**
 * Only the ticket's requester, its participants (Cc'd on the ticket) or staff may add to it.
 * Anyone else who quotes a ticket's Message-ID or tag starts a ticket of their own and
 * learns nothing about the other one.
 */
export function mayAddToTicket(ticket: Ticket, sender: string, senderIsStaff: boolean): boolean {
  const address = sender.toLowerCase();
  return senderIsStaff || ticket.requester === address || ticket.participants.includes(address);
}

/**
 * The requester's open ticket with the same normalised subject (the duplicate rule:
 * one ticket per issue). The most recently updated one wins when several match.
 */
export function openTicketWithSubject(openTickets: readonly Ticket[], normalizedSubject: string): Ticket | null {
  if (normalizedSubject === '') return null;
  const matches = openTickets.filter(
    (ticket) => isOpenStatus(ticket.status) && ticket.normalizedSubject === normalizedSubject,
  );
  return matches.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt))[0] ?? null;
}

/**
 * What the policy's `conduct.duplicates` says about a new message on the same subject as one
 * of the requester's open tickets (seed 003: "one ticket per subject, a second is closed";
 * seed 004: "no more than one ticket or e-mail for the same matter"):
 * - `merge`: the message joins the open ticket;
 * - `close`: a new ticket is opened closed, as a duplicate of the open one, and the customer
 *   is told which ticket to follow;
 * - `allow`: a new ticket, as for any other subject.
 */
export type SameIssue =
  | { readonly kind: 'join'; readonly ticket: Ticket }
  | { readonly kind: 'close-as-duplicate'; readonly of: Ticket }
  | { readonly kind: 'new' };

export function sameIssue(
  policy: Pick<Policy, 'conduct'>,
  openTickets: readonly Ticket[],
  normalizedSubject: string,
): SameIssue {
  if (policy.conduct.duplicates === 'allow') return { kind: 'new' };
  const open = openTicketWithSubject(openTickets, normalizedSubject);
  if (open === null) return { kind: 'new' };
  return policy.conduct.duplicates === 'close'
    ? { kind: 'close-as-duplicate', of: open }
    : { kind: 'join', ticket: open };
}

/**
 * How long a claim on a requester and subject holds (ThreadClaim in the store). It only has to
 * outlive the moment two mails of one sender and subject are processed together, and the index
 * catching up with the new ticket; after that the requester's open tickets find it.
 */
export const SUBJECT_CLAIM_TTL_MS = 15 * 60_000;

/**
 * How long a claim on a Message-ID holds. It stands for a mail that was answered before it came:
 * once the reply opened the ticket, nothing else leads the mail there (its own Message-ID is
 * linked to no ticket, and it answers nothing), and mail can be held up on its way for days
 * (RFC 5321 §4.5.4.1: a sender gives up after 4–5 days; greylisting, an outage in between).
 */
export const MESSAGE_ID_CLAIM_TTL_MS = 7 * 24 * 60 * 60_000;

/** Message-IDs claimed per mail: its own and the most recent it answers. */
const MAX_CLAIMED_IDS = 10;

/**
 * What a mail that opens (or joins) a thread claims, so that another mail of the same thread
 * processed at the same instant cannot open a second ticket: the requester with the normalised
 * subject (two mails from one sender on one subject), and the Message-IDs of the thread (a mail and
 * its reply: the first claims its own id, the reply the id it answers).
 */
export function threadClaimKeys(thread: {
  readonly requester: string;
  readonly normalizedSubject: string | null;
  readonly messageIds: readonly string[];
}): string[] {
  const keys: string[] = [];
  if (thread.normalizedSubject) keys.push(`subject:${thread.requester.toLowerCase()} ${thread.normalizedSubject}`);
  const ids = [...new Set(thread.messageIds.map((id) => id.trim().replace(/^<\s*/, '').replace(/\s*>$/, '')))];
  for (const id of ids.filter((candidate) => candidate !== '').slice(0, MAX_CLAIMED_IDS)) keys.push(`message-id:${id}`);
  return keys;
}

/** Which kind of claim a key is: it tells how a mail that lost the race found its ticket. */
export const claimKind = (key: string): 'subject' | 'message-id' =>
  key.startsWith('subject:') ? 'subject' : 'message-id';

/** How long a claim holds, by its kind. */
export const claimLifetime = (key: string): number =>
  claimKind(key) === 'subject' ? SUBJECT_CLAIM_TTL_MS : MESSAGE_ID_CLAIM_TTL_MS;
