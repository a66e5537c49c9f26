import type { TicketStore } from '../../lib/application/ports/ticket-store.ts';

/**
 * A store whose first `parties` reads of a ticket wait for each other, so that that many
 * concurrent read-modify-write cycles all start from the same version: the race that
 * optimistic concurrency must survive, made certain instead of likely. Later reads
 * (the retries) pass straight through.
 */
export const withReadBarrier = (store: TicketStore, parties: number): Pick<TicketStore, 'getTicket' | 'saveTicket'> => {
  let waiting = 0;
  let release: () => void = () => {};
  const allRead = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    async getTicket(number) {
      const ticket = await store.getTicket(number);
      if (waiting < parties) {
        waiting += 1;
        if (waiting === parties) release();
        await allRead;
      }
      return ticket;
    },
    saveTicket: (ticket, expectedVersion) => store.saveTicket(ticket, expectedVersion),
  };
};
