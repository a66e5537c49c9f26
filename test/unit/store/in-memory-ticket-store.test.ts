import { describe } from 'vitest';
import { InMemoryTicketStore } from '../../../lib/adapters/memory/in-memory-ticket-store.ts';
import { ticketStoreContract } from '../../support/ticket-store-contract.ts';

describe('InMemoryTicketStore', () => {
  ticketStoreContract(async () => new InMemoryTicketStore());
});
