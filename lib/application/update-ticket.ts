import { AtendeError, isAtendeError } from '../domain/atende-error.ts';
import type { Ticket } from '../domain/ticket/ticket.ts';
import type { TicketStore } from './ports/ticket-store.ts';

export interface UpdateTicketOptions {
  /** Reads-and-writes tried before giving up with `store.conflictRetriesExhausted`; default 5. */
  readonly maxAttempts?: number;
}

export interface UpdatedTicket {
  /** The ticket as stored (with its new version), or as read when the change returned null. */
  readonly ticket: Ticket;
  /** 1 when nobody else wrote the ticket meanwhile; one more for every version conflict. */
  readonly attempts: number;
  readonly changed: boolean;
}

export const DEFAULT_UPDATE_ATTEMPTS = 5;

/**
 * Changes a ticket under optimistic concurrency: reads it, applies `change`, and saves
 * the result only if nobody wrote the ticket in between. On a version conflict it
 * reads again and re-applies `change` to the newer ticket, so `change` must be a pure
 * function of the ticket (it may run several times). Returning null from `change`
 * means "nothing to do" and writes nothing.
 *
 * Fails with `store.ticketNotFound`, or `store.conflictRetriesExhausted` after
 * `maxAttempts` conflicts in a row.
 */
export const updateTicket = async (
  store: Pick<TicketStore, 'getTicket' | 'saveTicket'>,
  number: number,
  change: (ticket: Ticket) => Ticket | null,
  options: UpdateTicketOptions = {},
): Promise<UpdatedTicket> => {
  const maxAttempts = options.maxAttempts ?? DEFAULT_UPDATE_ATTEMPTS;
  for (let attempt = 1; ; attempt += 1) {
    const current = await store.getTicket(number);
    if (current === null)
      throw new AtendeError('store.ticketNotFound', `Ticket ${number} does not exist`, {
        details: { ticketNumber: number },
      });
    const next = change(current);
    if (next === null) return { ticket: current, attempts: attempt, changed: false };
    try {
      // No pause before retrying: the conflicting write is already done, so the re-read sees it.
      return { ticket: await store.saveTicket(next, current.version), attempts: attempt, changed: true };
    } catch (error) {
      if (!isAtendeError(error, 'store.versionConflict')) throw error;
      if (attempt >= maxAttempts) {
        throw new AtendeError(
          'store.conflictRetriesExhausted',
          `Ticket ${number} kept changing; gave up after ${attempt} attempts`,
          {
            cause: error,
            details: { ticketNumber: number, attempts: attempt },
          },
        );
      }
    }
  }
};
