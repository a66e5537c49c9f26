import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LoggingFormat } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { nodejsFunctionProps } from '../bundling/nodejs-function-bundling.ts';

export interface SupportFunctionProps {
  /** Its entry, runtime (nodejs22.x, arm64) and bundling: infra/bundling/nodejs-function-bundling.ts. */
  readonly code: ReturnType<typeof nodejsFunctionProps>;
  /** Set so the function's ARN is known before it exists (the timer function schedules itself). */
  readonly functionName: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  /** Invoked asynchronously (SES, Scheduler): failed events go to a dead-letter queue after Lambda's retries. */
  readonly asynchronous: boolean;
}

/**
 * One of atende's Lambdas: nodejs22.x on arm64, its own role (logs to its own log group and
 * nothing else until the stack grants what it uses), JSON logs kept 90 days, and for an
 * asynchronously invoked one an encrypted on-failure queue.
 */
export class SupportFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly failures: Queue | null;

  constructor(scope: Construct, id: string, props: SupportFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: RetentionDays.THREE_MONTHS,
    });
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.failures = props.asynchronous
      ? new Queue(this, 'Failures', {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        })
      : null;
    this.function = new NodejsFunction(this, 'Function', {
      ...props.code,
      functionName: props.functionName,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      ...(this.failures
        ? { onFailure: new SqsDestination(this.failures), retryAttempts: 2, maxEventAge: Duration.hours(6) }
        : {}),
    });
  }

  /** The ARN a function of this name has in this stack's account and region. */
  static arnOf(scope: Construct, functionName: string): string {
    return Stack.of(scope).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: functionName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}
