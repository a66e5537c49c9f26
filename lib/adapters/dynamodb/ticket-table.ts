import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { LISTING_INDEX, REQUESTER_INDEX } from './ticket-table-keys.ts';

/**
 * A key attribute; `type` uses DynamoDB's letters. CDK's `AttributeType` has the same values,
 * but as a TypeScript enum it does not accept a bare 'S': the construct maps the letter.
 */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface TicketTableIndex {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** Same value as CDK's `ProjectionType.ALL`. */
  readonly projectionType: 'ALL';
}

/**
 * The attribute DynamoDB's TTL deletes items by (epoch seconds): thread claims and request
 * counters carry it (ticket-items.ts, dynamodb-request-counters.ts). DynamoDB Local never deletes
 * them, and TTL deletes late: a claim is checked against its own expiry and a counter is keyed by
 * its window, so one that lingers is never taken for a live one.
 */
export const TICKET_TABLE_TTL_ATTRIBUTE = 'expiresAtEpoch';

/**
 * The ticket table, as plain data: the one definition tests, the local stack
 * (via {@link createTicketTable}) and the CDK construct all build from.
 * Property names follow CDK's `TableV2` props (partitionKey, sortKey, globalSecondaryIndexes
 * with indexName, partitionKey, sortKey, projectionType).
 */
export const TICKET_TABLE = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  /** Index items carry the whole ticket, so a listing needs no GetItem per row. */
  globalSecondaryIndexes: [
    {
      indexName: REQUESTER_INDEX,
      partitionKey: { name: 'requesterPk', type: 'S' },
      sortKey: { name: 'requesterSk', type: 'S' },
      projectionType: 'ALL',
    },
    {
      indexName: LISTING_INDEX,
      partitionKey: { name: 'listingPk', type: 'S' },
      sortKey: { name: 'listingSk', type: 'S' },
      projectionType: 'ALL',
    },
  ],
} as const satisfies {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  globalSecondaryIndexes: readonly TicketTableIndex[];
};

/** The input of a `CreateTableCommand` for the ticket table (on-demand capacity). */
export const ticketTableCreateInput = (tableName: string): CreateTableCommandInput => {
  const keyAttributes = [
    TICKET_TABLE.partitionKey,
    TICKET_TABLE.sortKey,
    ...TICKET_TABLE.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributes.map(({ name, type }) => ({ AttributeName: name, AttributeType: type })),
    KeySchema: [
      { AttributeName: TICKET_TABLE.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TICKET_TABLE.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TICKET_TABLE.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projectionType },
    })),
  };
};

/** Creates the ticket table and resolves once it is ACTIVE (DynamoDB Local: at once; AWS: seconds). */
export const createTicketTable = async (
  client: DynamoDBClient,
  tableName: string,
  options: { maxWaitSeconds?: number } = {},
): Promise<void> => {
  await client.send(new CreateTableCommand(ticketTableCreateInput(tableName)));
  await waitUntilTableExists(
    { client, maxWaitTime: options.maxWaitSeconds ?? 120, minDelay: 1 },
    { TableName: tableName },
  );
};
