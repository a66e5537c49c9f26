import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RequestCounters } from '../../application/ports/request-counters.ts';
import type { Entity } from './ticket-table-keys.ts';

/**
 * Request counters as items of the ticket table, `RC#<sha256 of name and window>` / `RC`: one
 * UpdateItem (atomic ADD) per request, never a read first, gone after the window through the
 * table's TTL on `expiresAtEpoch` (the thread claims' attribute). The name is hashed: it holds a
 * client's address or IP, which need not be readable in the table.
 */
export class DynamoDbRequestCounters implements RequestCounters {
  private readonly documents: DynamoDBDocumentClient;

  constructor(private readonly options: { client: DynamoDBClient; tableName: string }) {
    this.documents = DynamoDBDocumentClient.from(options.client);
  }

  async increment(name: string, windowEndsAt: number): Promise<number> {
    const hash = createHash('sha256').update(`${name}@${windowEndsAt}`).digest('hex');
    const result = await this.documents.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: { pk: `RC#${hash}`, sk: 'RC' },
        UpdateExpression: 'ADD #count :one SET #entity = :entity, #expiresAtEpoch = :expires',
        ExpressionAttributeNames: { '#count': 'count', '#entity': 'entity', '#expiresAtEpoch': 'expiresAtEpoch' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':entity': 'requestCounter' satisfies Entity,
          ':expires': Math.ceil(windowEndsAt / 1000),
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const count = result.Attributes?.['count'];
    return typeof count === 'number' ? count : 1;
  }
}
