import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  type KeyAttribute,
  TICKET_TABLE,
  TICKET_TABLE_TTL_ATTRIBUTE,
} from '../../lib/adapters/dynamodb/ticket-table.ts';

const attribute = ({ name, type }: KeyAttribute) => ({
  name,
  type: type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/** The single ticket table, built from the same definition the store and its tests use. */
export class TicketTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: attribute(TICKET_TABLE.partitionKey),
      sortKey: attribute(TICKET_TABLE.sortKey),
      billing: Billing.onDemand(),
      timeToLiveAttribute: TICKET_TABLE_TTL_ATTRIBUTE,
      globalSecondaryIndexes: TICKET_TABLE.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: ProjectionType.ALL,
      })),
      // Tickets are the support team's record: recoverable to any second of the last 35 days, kept if the stack goes.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
