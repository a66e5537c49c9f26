import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SUPPORT_METRICS } from '../../lib/application/ports/support-metrics.ts';

/**
 * What a support team must hear about: anything in a dead-letter queue (a mail or timer given
 * up), a function failing or throttled, a mail SES refused for good, and inbound mail waiting
 * (the age of the oldest asynchronous event). Each alarm goes to the SNS topic when an alarm
 * e-mail was given.
 */
export class SupportAlarms extends Construct {
  readonly topic: Topic | null;
  readonly alarms: Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly functions: Readonly<Record<string, NodejsFunction>>;
      readonly deadLetterQueues: Readonly<Record<string, Queue>>;
      readonly inbound: NodejsFunction;
      readonly alarmEmail: string | undefined;
    },
  ) {
    super(scope, id);
    this.topic = props.alarmEmail ? new Topic(this, 'Topic', { displayName: 'atende alarms', enforceSSL: true }) : null;
    if (this.topic && props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const alarm = (name: string, metric: Metric, threshold: number, description: string) => {
      const created = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      if (this.topic) created.addAlarmAction(new SnsAction(this.topic));
      this.alarms.push(created);
    };
    const fiveMinutes = { period: Duration.minutes(5) };
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ ...fiveMinutes, statistic: 'Maximum' }),
        1,
        `Events in the ${name} dead-letter queue: read them, fix the cause, and redrive`,
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, fn.metricErrors({ ...fiveMinutes, statistic: 'Sum' }), 1, `The ${name} function failed`);
      alarm(
        `${name}Throttles`,
        fn.metricThrottles({ ...fiveMinutes, statistic: 'Sum' }),
        1,
        `The ${name} function was throttled`,
      );
    }
    alarm(
      'InboundAge',
      props.inbound.metric('AsyncEventAge', { ...fiveMinutes, statistic: 'Maximum' }),
      5 * 60_000,
      'Inbound mail waited more than 5 minutes to be processed',
    );
    alarm(
      'MailFailed',
      new Metric({
        namespace: SUPPORT_METRICS.namespace,
        metricName: SUPPORT_METRICS.names['mail-failed'],
        // A metric is found by its exact dimension set: the one the functions emit (support-metrics.ts).
        dimensionsMap: { ...SUPPORT_METRICS.dimensions },
        ...fiveMinutes,
        statistic: 'Sum',
      }),
      1,
      'SES refused a mail for good (a bounce-worthy address, a rejected message): see the ticket it belongs to',
    );
  }
}
