import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Where tickets' one-time timers live (EventBridge Scheduler): their schedule group, the role
 * Scheduler assumes to invoke the timer function (that function only), and the dead-letter
 * queue of timers Scheduler could not deliver.
 */
export class TicketTimers extends Construct {
  readonly groupName: string;
  readonly groupArn: string;
  readonly schedulesArn: string;
  readonly role: Role;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: { readonly timerFunctionArn: string }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.groupName = `${stack.stackName}-tickets`;
    const group = new CfnScheduleGroup(this, 'Group', { name: this.groupName });
    this.groupArn = group.attrArn;
    this.schedulesArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.groupName}/*`,
    });
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Assumed by EventBridge Scheduler to fire ticket timers',
    });
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.timerFunctionArn] }),
    );
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetters.queueArn] }),
    );
  }
}
