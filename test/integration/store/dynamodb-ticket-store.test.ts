import { afterAll, describe, expect, it } from 'vitest';
import type { TicketStore } from '../../../lib/application/ports/ticket-store.ts';
import type { RecordedCommand } from '../../support/command-recorder.ts';
import { testTicketTables } from '../../support/dynamodb-test-table.ts';
import { ticketStoreContract } from '../../support/ticket-store-contract.ts';

const tables = testTicketTables();
afterAll(() => tables.dropAll());

/** Each store's recorded commands, so the contract can count the requests of one call. */
const commandsOf = new Map<TicketStore, RecordedCommand[]>();

describe('DynamoDbTicketStore on DynamoDB Local', () => {
  ticketStoreContract(
    async () => {
      const table = await tables.create();
      commandsOf.set(table.store, table.commands);
      return table.store;
    },
    { requestsOf: (store) => (commandsOf.get(store) ?? []).map((command) => command.name) },
  );

  it('answers every access pattern above with GetItem, BatchGetItem or Query, never a Scan', () => {
    // Tests in a file run in order: this one sees the commands of the whole contract.
    const readers = new Set(tables.sentCommandNames().filter((name) => !/^(Put|Update|TransactWrite)/.test(name)));
    expect([...readers].sort()).toEqual(['BatchGetItemCommand', 'GetItemCommand', 'QueryCommand']);
  });
});
