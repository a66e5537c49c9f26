import { afterAll, describe, expect, it } from 'vitest';
import { testTicketTables } from '../../support/dynamodb-test-table.ts';
import { ticketStoreContract } from '../../support/ticket-store-contract.ts';

const tables = testTicketTables();
afterAll(() => tables.dropAll());

describe('DynamoDbTicketStore on DynamoDB Local', () => {
  ticketStoreContract(async () => (await tables.create()).store);

  it('answers every access pattern above with GetItem, BatchGetItem or Query, never a Scan', () => {
    // Tests in a file run in order: this one sees the commands of the whole contract.
    const readers = new Set(tables.sentCommandNames().filter((name) => !/^(Put|Update|TransactWrite)/.test(name)));
    expect([...readers].sort()).toEqual(['BatchGetItemCommand', 'GetItemCommand', 'QueryCommand']);
  });
});
