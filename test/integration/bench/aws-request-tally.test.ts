import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { callName, type RequestTally, startRequestTally } from '../../../bench/aws-request-tally.ts';
import { localDynamoDbClientConfig } from '../../../lib/adapters/dynamodb/dynamodb-local.ts';
import { type TestTicketTable, testTicketTables } from '../../support/dynamodb-test-table.ts';
import { motoClientConfig, useMotoServer } from '../../support/moto-server.ts';

/**
 * The inbound-function bench counts the bundled function's AWS calls with a proxy in front of
 * DynamoDB Local and moto_server: the SDK's signed requests must pass through unchanged, bodies
 * of any size, and be counted by service and operation.
 */
const tables = testTicketTables();
const moto = useMotoServer();
let table: TestTicketTable;
const tallies: RequestTally[] = [];

beforeAll(async () => {
  table = await tables.create();
});
afterAll(async () => {
  for (const tally of tallies) await tally.close();
  await tables.dropAll();
});

describe('the request tally', () => {
  it('passes DynamoDB requests through and counts them by operation, resetting on take', async () => {
    const tally = await startRequestTally(inject('dynamodbEndpoint'));
    tallies.push(tally);
    const client = new DynamoDBClient({ ...localDynamoDbClientConfig(tally.endpoint), maxAttempts: 1 });
    const key = { pk: { S: 'T#1' }, sk: { S: 'TICKET' } };

    await client.send(new GetItemCommand({ TableName: table.tableName, Key: key }));
    await client.send(new GetItemCommand({ TableName: table.tableName, Key: key }));
    const missing = client.send(new GetItemCommand({ TableName: 'no-such-table', Key: key }));

    await expect(missing).rejects.toThrow(/non-existent table/);
    expect(tally.take()).toEqual(new Map([['dynamodb GetItem', 3]]));
    expect(tally.take()).toEqual(new Map());
    client.destroy();
  });

  it('streams a large S3 object both ways unchanged', async () => {
    const tally = await startRequestTally(moto().endpoint);
    tallies.push(tally);
    const s3 = new S3Client(motoClientConfig(tally.endpoint));
    const body = Buffer.alloc(3 * 1024 * 1024, 'atende');

    await s3.send(new CreateBucketCommand({ Bucket: 'tally' }));
    await s3.send(new PutObjectCommand({ Bucket: 'tally', Key: 'inbound/big', Body: body }));
    const read = await s3.send(new GetObjectCommand({ Bucket: 'tally', Key: 'inbound/big' }));

    expect(Buffer.from(await read.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(tally.take()).toEqual(
      new Map([
        ['s3 PUT bucket', 1],
        ['s3 PUT object', 1],
        ['s3 GET object', 1],
      ]),
    );
    s3.destroy();
  });
});

describe('callName', () => {
  const signed = (service: string) => ({
    authorization: `AWS4-HMAC-SHA256 Credential=AKID/20261204/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
  });

  it.each([
    ['POST', '/v2/email/outbound-emails', signed('ses'), 'ses POST v2/email/outbound-emails'],
    ['POST', '/schedules/atende-1000-breach-1?x=1', signed('scheduler'), 'scheduler POST schedules'],
    ['GET', '/atende-mail/inbound/abc', signed('s3'), 's3 GET object'],
    [
      'POST',
      '/',
      { ...signed('secretsmanager'), 'x-amz-target': 'secretsmanager.GetSecretValue' },
      'secretsmanager GetSecretValue',
    ],
  ])('names %s %s after its service and operation', (method, path, headers, name) => {
    expect(callName(method, path, headers)).toBe(name);
  });
});
