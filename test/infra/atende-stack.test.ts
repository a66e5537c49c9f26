import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AtendeStack } from '../../infra/atende-stack.ts';
import { ticketTableCreateInput } from '../../lib/adapters/dynamodb/ticket-table.ts';

describe('the AWS stack', () => {
  const template = Template.fromStack(new AtendeStack(new App(), 'Test'));

  it('creates the ticket table with the keys and indexes the store uses', () => {
    const local = ticketTableCreateInput('tickets');
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: local.KeySchema,
      AttributeDefinitions: Match.arrayWith(
        local.AttributeDefinitions!.map((definition) => Match.objectLike(definition)),
      ),
      GlobalSecondaryIndexes: local.GlobalSecondaryIndexes!.map((index) =>
        Match.objectLike({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection }),
      ),
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('keeps tickets recoverable and protected from deletion', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: Match.objectLike({ PointInTimeRecoveryEnabled: true }),
        }),
      ],
    });
    expect(Object.values(template.findResources('AWS::DynamoDB::GlobalTable'))[0]).toMatchObject({
      DeletionPolicy: 'Retain',
    });
  });
});
