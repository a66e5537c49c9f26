import type { Ticket } from '../../domain/ticket/ticket.ts';

/** The link to a ticket's status page that the customer's mail carries (acknowledgement, agents' replies, the API's answer). */
export interface StatusLinks {
  linkFor(ticket: Ticket): string;
}
