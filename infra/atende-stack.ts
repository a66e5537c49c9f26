import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { nodejsFunctionProps } from './bundling/nodejs-function-bundling.ts';
import { InboundMailRule, receiptRuleArn } from './constructs/inbound-mail-rule.ts';
import { LinkSecrets } from './constructs/link-secrets.ts';
import { ATTACHMENT_PREFIX, INBOUND_MAIL_PREFIX, MailBucket, WEB_POST_PREFIX } from './constructs/mail-bucket.ts';
import { SupportAlarms } from './constructs/support-alarms.ts';
import { SupportFunction } from './constructs/support-function.ts';
import { TicketTable } from './constructs/ticket-table.ts';
import { TicketTimers } from './constructs/ticket-timers.ts';
import { WebApi } from './constructs/web-api.ts';
import type { StackSettings } from './stack-settings.ts';

/**
 * Each function's memory (MB): inbound parses messages of up to 40 MB with their attachments (and
 * Lambda gives CPU in proportion to memory); the timer and web functions render and send mail.
 * The cost bench (bench/aws-cost.ts) prices GB-s with these.
 */
export const FUNCTION_MEMORY_MB = { inbound: 1024, timer: 512, web: 512 } as const;

export interface AtendeStackProps extends StackProps {
  readonly settings: StackSettings;
}

/** Everything atende runs on in one AWS account and region. */
export class AtendeStack extends Stack {
  constructor(scope: Construct, id: string, props: AtendeStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const tickets = new TicketTable(this, 'Tickets');
    const mail = new MailBucket(this, 'Mail', {
      retentionDays: settings.mailRetentionDays,
      receiptRuleArn: receiptRuleArn(this),
    });
    const secrets = new LinkSecrets(this, 'Secrets', { signedWebForm: settings.signedWebForm });
    const timerName = `${this.stackName}-timer`;
    const timerArn = SupportFunction.arnOf(this, timerName);
    const timers = new TicketTimers(this, 'Timers', { timerFunctionArn: timerArn });

    // Set below, once the API exists; the functions read it at cold start.
    const shared: Record<string, string> = {
      ATENDE_TABLE_NAME: tickets.table.tableName,
      ATENDE_RAW_MAIL_BUCKET: mail.bucket.bucketName,
      ATENDE_RAW_MAIL_PREFIX: INBOUND_MAIL_PREFIX,
      ATENDE_ATTACHMENT_BUCKET: mail.bucket.bucketName,
      ATENDE_SCHEDULE_GROUP: timers.groupName,
      ATENDE_TIMER_FUNCTION_ARN: timerArn,
      ATENDE_SCHEDULER_ROLE_ARN: timers.role.roleArn,
      ATENDE_TIMER_DEAD_LETTER_ARN: timers.deadLetters.queueArn,
      ATENDE_SURVEY_SECRET_ARN: secrets.links.secretArn,
    };
    const inbound = new SupportFunction(this, 'InboundEmail', {
      code: nodejsFunctionProps('inbound-email', settings.policyPath),
      functionName: `${this.stackName}-inbound-email`,
      memorySize: FUNCTION_MEMORY_MB.inbound,
      timeout: Duration.seconds(60),
      environment: shared,
      asynchronous: true,
    });
    const timer = new SupportFunction(this, 'Timer', {
      code: nodejsFunctionProps('timer', settings.policyPath),
      functionName: timerName,
      memorySize: FUNCTION_MEMORY_MB.timer,
      timeout: Duration.seconds(30),
      environment: shared,
      asynchronous: true,
    });
    const web = new SupportFunction(this, 'WebForm', {
      code: nodejsFunctionProps('web-form', settings.policyPath),
      functionName: `${this.stackName}-web-form`,
      memorySize: FUNCTION_MEMORY_MB.web,
      // API Gateway's HTTP API waits 30 s at most.
      timeout: Duration.seconds(29),
      environment: {
        ...shared,
        ATENDE_CORS_ORIGINS: settings.corsOrigins.join(','),
        ...(secrets.webForm ? { ATENDE_WEBFORM_SECRET_ARN: secrets.webForm.secretArn } : {}),
      },
      asynchronous: false,
    });
    const api = new WebApi(this, 'Web', {
      handler: web.function,
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
    });
    const publicUrl = api.api.apiEndpoint;
    for (const fn of [inbound, timer, web]) fn.function.addEnvironment('ATENDE_PUBLIC_URL', publicUrl);

    const allowed = (fn: SupportFunction, actions: string[], resources: string[]) =>
      fn.role.addToPolicy(new PolicyStatement({ actions, resources }));
    const indexes = `${tickets.table.tableArn}/index/*`;
    const identity = this.formatArn({ service: 'ses', resource: 'identity', resourceName: settings.domain });
    for (const fn of [inbound, timer, web]) {
      allowed(
        fn,
        [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
        ],
        [tickets.table.tableArn, indexes],
      );
      allowed(fn, ['ses:SendEmail', 'ses:SendRawEmail'], [identity]);
      allowed(
        fn,
        ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        [timers.schedulesArn],
      );
      fn.role.addToPolicy(
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [timers.role.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      );
      secrets.links.grantRead(fn.role);
      allowed(fn, ['s3:GetObject'], [mail.bucket.arnForObjects(`${ATTACHMENT_PREFIX}*`)]);
    }
    allowed(inbound, ['s3:GetObject'], [mail.bucket.arnForObjects(`${INBOUND_MAIL_PREFIX}*`)]);
    allowed(inbound, ['s3:PutObject'], [mail.bucket.arnForObjects(`${ATTACHMENT_PREFIX}*`)]);
    allowed(web, ['s3:GetObject', 's3:PutObject'], [mail.bucket.arnForObjects(`${WEB_POST_PREFIX}*`)]);
    allowed(web, ['s3:PutObject'], [mail.bucket.arnForObjects(`${ATTACHMENT_PREFIX}*`)]);
    secrets.webForm?.grantRead(web.role);

    const rule = new InboundMailRule(this, 'InboundMail', {
      recipients: settings.recipients,
      bucket: mail.bucket,
      inbound: inbound.function,
      activate: settings.activateRuleSet,
    });

    new SupportAlarms(this, 'Alarms', {
      functions: { InboundEmail: inbound.function, Timer: timer.function, WebForm: web.function },
      deadLetterQueues: {
        InboundEmail: inbound.failures!,
        Timer: timer.failures!,
        Scheduler: timers.deadLetters,
      },
      inbound: inbound.function,
      alarmEmail: settings.alarmEmail,
    });

    new CfnOutput(this, 'TicketTableName', { value: tickets.table.tableName });
    new CfnOutput(this, 'MailBucketName', { value: mail.bucket.bucketName });
    new CfnOutput(this, 'ReceiptRuleSetName', { value: rule.ruleSetName });
    new CfnOutput(this, 'PublicUrl', {
      value: publicUrl,
      description: 'POST /tickets, GET /form, the status and survey pages',
    });
  }
}
