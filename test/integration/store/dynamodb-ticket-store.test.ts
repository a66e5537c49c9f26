import { afterAll, describe } from 'vitest';
import { testTicketTables } from '../../support/dynamodb-test-table.ts';
import { ticketStoreContract } from '../../support/ticket-store-contract.ts';

const tables = testTicketTables();
afterAll(() => tables.dropAll());

describe('DynamoDbTicketStore on DynamoDB Local', () => {
  ticketStoreContract(async () => (await tables.create()).store);
});
