import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { localDynamoDbClientConfig } from '../../lib/adapters/dynamodb/dynamodb-local.ts';
import { DynamoDbTicketStore } from '../../lib/adapters/dynamodb/dynamodb-ticket-store.ts';
import { createTicketTable } from '../../lib/adapters/dynamodb/ticket-table.ts';
import { type RecordedCommand, recordCommands } from './command-recorder.ts';

export interface TestTicketTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly store: DynamoDbTicketStore;
  /** Every command the store's client sent, in order (observed, not mocked). */
  readonly commands: RecordedCommand[];
}

/**
 * Ticket tables on the run's shared DynamoDB Local (see global-setup.ts). Each call makes a
 * new, uniquely named table (~20 ms), so tests never see each other's items;
 * `dropAll` removes the tables this file made.
 */
export const testTicketTables = () => {
  const endpoint = inject('dynamodbEndpoint');
  const made: TestTicketTable[] = [];
  const sent: string[] = [];
  return {
    async create(): Promise<TestTicketTable> {
      const client = new DynamoDBClient(localDynamoDbClientConfig(endpoint));
      const commands: RecordedCommand[] = [];
      const tableName = `tickets-${randomUUID()}`;
      await createTicketTable(client, tableName);
      recordCommands(client, (command) => {
        commands.push(command);
        sent.push(command.name);
      });
      const table = { client, tableName, store: new DynamoDbTicketStore({ client, tableName }), commands };
      made.push(table);
      return table;
    },
    /** The names of all commands sent to this file's tables since they were created. */
    sentCommandNames: (): readonly string[] => sent,
    async dropAll(): Promise<void> {
      for (const { client, tableName } of made.splice(0)) {
        await client.send(new DeleteTableCommand({ TableName: tableName }));
        client.destroy();
      }
    },
  };
};
