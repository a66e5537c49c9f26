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
