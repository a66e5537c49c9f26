import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TicketTable } from './constructs/ticket-table.ts';

/** Everything atende runs on in one AWS account and region. */
export class AtendeStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const tickets = new TicketTable(this, 'Tickets');
    new CfnOutput(this, 'TicketTableName', { value: tickets.table.tableName });
  }
}
