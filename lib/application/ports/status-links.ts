import type { Ticket } from '../../domain/ticket/ticket.ts';

/**
 * Where a requester follows their ticket (`<public URL>/t/<signed token>`): the web form's answer
 * and the customer's mail carry it. Signing stays inside the implementation.
 */
export interface StatusLinks {
  linkFor(ticket: Ticket): string;
}
