import type { StatusLinks } from '../../application/ports/status-links.ts';
import type { Ticket } from '../../domain/ticket/ticket.ts';

/**
 * Status links that name the ticket's number, unsigned: the specs' twin, and the stand-in the
 * local stack and the Lambda use until the signed status token (customer pages) is wired.
 */
export class NumberedStatusLinks implements StatusLinks {
  constructor(private readonly baseUrl: string) {}

  linkFor(ticket: Ticket): string {
    return `${this.baseUrl.replace(/\/+$/, '')}/t/${ticket.number}`;
  }
}
