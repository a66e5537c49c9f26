import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../lib/adapters/dynamodb/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The DynamoDB Local every test file of the run shares; each file makes its own tables. */
    dynamodbEndpoint: string;
  }
}

/**
 * Starts what every test run shares: one DynamoDB Local (in memory), handed to tests
 * through `inject('dynamodbEndpoint')`. Set ATENDE_TEST_DYNAMODB_ENDPOINT to use one that
 * is already running (debugging with the AWS CLI, say) instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env['ATENDE_TEST_DYNAMODB_ENDPOINT'];
  if (given !== undefined && given !== '') {
    project.provide('dynamodbEndpoint', given);
    return async () => {};
  }
  const dynamodb = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return async () => {
    await dynamodb.stop();
  };
}
