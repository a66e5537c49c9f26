import { describe, expect, it } from 'vitest';
import { InMemoryTicketStore } from '../../../lib/adapters/memory/in-memory-ticket-store.ts';
import type { TicketStore } from '../../../lib/application/ports/ticket-store.ts';
import { updateTicket } from '../../../lib/application/update-ticket.ts';
import { AtendeError } from '../../../lib/domain/atende-error.ts';
import { aMessage, aTicket } from '../../support/ticket-fixtures.ts';

const storeWithTicket = async () => {
  const store = new InMemoryTicketStore();
  const number = await store.allocateTicketNumber();
  await store.createTicket({ ticket: aTicket(number), firstMessage: aMessage(number, 1) });
  return { store, number };
};

/** A store on which someone else always writes the ticket just before we do. */
const alwaysOvertaken = (store: TicketStore): Pick<TicketStore, 'getTicket' | 'saveTicket'> => ({
  getTicket: (number) => store.getTicket(number),
  async saveTicket(ticket, expectedVersion) {
    const current = await store.getTicket(ticket.number);
    if (current !== null) await store.saveTicket(current, current.version);
    return store.saveTicket(ticket, expectedVersion);
  },
});

describe('updateTicket', () => {
  it('saves the change at the next version in one attempt when nobody else writes', async () => {
    const { store, number } = await storeWithTicket();

    const result = await updateTicket(store, number, (ticket) => ({ ...ticket, status: 'open' }));

    expect(result).toMatchObject({ attempts: 1, changed: true, ticket: { status: 'open', version: 2 } });
    expect(await store.getTicket(number)).toEqual(result.ticket);
  });

  it('writes nothing when the change returns null', async () => {
    const { store, number } = await storeWithTicket();

    const result = await updateTicket(store, number, () => null);

    expect(result).toMatchObject({ attempts: 1, changed: false, ticket: { version: 1 } });
    expect((await store.getTicket(number))?.version).toBe(1);
  });

  it('gives up with store.conflictRetriesExhausted after the allowed attempts', async () => {
    const { store, number } = await storeWithTicket();
    let applied = 0;

    const error = await updateTicket(
      alwaysOvertaken(store),
      number,
      (ticket) => {
        applied += 1;
        return { ...ticket, priority: 'high' };
      },
      { maxAttempts: 3 },
    ).then(
      () => undefined,
      (failure: unknown) => failure,
    );

    expect(error).toBeInstanceOf(AtendeError);
    expect(error).toMatchObject({ code: 'store.conflictRetriesExhausted', details: { attempts: 3 } });
    expect(applied).toBe(3);
  });

  it('fails with store.ticketNotFound for a ticket that does not exist', async () => {
    const store = new InMemoryTicketStore();

    const error = await updateTicket(store, 999, (ticket) => ticket).then(
      () => undefined,
      (failure: unknown) => failure,
    );

    expect(error).toMatchObject({ code: 'store.ticketNotFound' });
  });
});
