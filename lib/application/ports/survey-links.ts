import type { Ticket } from '../../domain/ticket/ticket.ts';

/** The two signed links of a ticket's satisfaction survey (good / bad). */
export interface SurveyLinks {
  linksFor(ticket: Ticket): { readonly good: string; readonly bad: string };
}
