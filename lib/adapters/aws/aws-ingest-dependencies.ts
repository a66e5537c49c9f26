import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import * as z from 'zod';
import type { IngestEmailDeps } from '../../application/ingest-email.ts';
import { SignedStatusLinks } from '../../application/signed-status-links.ts';
import { SignedSurveyLinks } from '../../application/signed-survey-links.ts';
import { SlaClock } from '../../domain/sla/sla-schedule.ts';
import { S3AttachmentStore } from '../attachments/s3-attachment-store.ts';
import { systemClock } from '../clock/system-clock.ts';
import { readEnvironment } from '../config/environment.ts';
import { DynamoDbTicketStore } from '../dynamodb/dynamodb-ticket-store.ts';
import { SesMailer } from '../mail/ses-mailer.ts';
import { DEFAULT_POLICY_PATH, loadPolicyFile } from '../policy-file.ts';
import { S3RawMailStore } from '../raw-mail/s3-raw-mail-store.ts';
import {
  DEFAULT_TEMPLATES_DIRECTORY,
  HandlebarsNotificationRenderer,
} from '../templates/handlebars-notification-renderer.ts';
import { EventBridgeTimerScheduler } from './eventbridge-timer-scheduler.ts';
import { lambdaTelemetry } from './lambda-telemetry.ts';
import { signingSecret } from './secrets-manager-secret.ts';

/** The variables the inbound-mail Lambda reads (set by the CDK stack). */
export const InboundEmailEnvironment = {
  ATENDE_TABLE_NAME: z.string().min(1),
  ATENDE_RAW_MAIL_BUCKET: z.string().min(3),
  /** The SES receipt rule's S3 object key prefix. */
  ATENDE_RAW_MAIL_PREFIX: z.string().default(''),
  /** Where messages' attachments are stored (under `tickets/<n>/attachments/`); the raw-mail bucket when unset. */
  ATENDE_ATTACHMENT_BUCKET: z.string().min(3).optional(),
  ATENDE_POLICY: z.string().default(DEFAULT_POLICY_PATH),
  ATENDE_TEMPLATES_DIR: z.string().default(DEFAULT_TEMPLATES_DIRECTORY),
  ATENDE_SES_CONFIGURATION_SET: z.string().optional(),
  /** The schedule group tickets' timers live in, the timer Lambda they invoke, the role Scheduler assumes, and its dead-letter queue. */
  ATENDE_SCHEDULE_GROUP: z.string().min(1),
  ATENDE_TIMER_FUNCTION_ARN: z.string().min(1),
  ATENDE_SCHEDULER_ROLE_ARN: z.string().min(1),
  ATENDE_TIMER_DEAD_LETTER_ARN: z.string().min(1),
  /** Where the deployment answers GET /survey/<token> (the API's URL). */
  ATENDE_PUBLIC_URL: z.url(),
  /**
   * The key survey and status links are signed with (32 bytes or more): the value, or the ARN of
   * the Secrets Manager secret holding it (what the CDK stack sets), read by signingSecret.
   */
  ATENDE_SURVEY_SECRET: z.string().optional(),
  ATENDE_SURVEY_SECRET_ARN: z.string().optional(),
};

/**
 * Builds the ingest use case's dependencies on AWS, once per cold start. Endpoints and
 * credentials come from the SDK's own configuration (AWS_REGION, AWS_ENDPOINT_URL_* …).
 */
export async function awsIngestDependencies(
  environment: NodeJS.ProcessEnv,
): Promise<IngestEmailDeps & { readonly statusLinks: SignedStatusLinks }> {
  const config = readEnvironment(InboundEmailEnvironment, environment);
  const [policy, renderer, surveySecret] = await Promise.all([
    loadPolicyFile(config.ATENDE_POLICY),
    // A cold start renders one or two templates of ~300: each is parsed when first rendered.
    HandlebarsNotificationRenderer.load(config.ATENDE_TEMPLATES_DIR, 'on-first-use'),
    signingSecret(() => new SecretsManagerClient({}), environment, 'ATENDE_SURVEY_SECRET', {
      required: true,
      minLength: 32,
    }),
  ]);
  const s3 = new S3Client({});
  return {
    policy,
    sla: new SlaClock(policy),
    store: new DynamoDbTicketStore({
      client: new DynamoDBClient({}),
      tableName: config.ATENDE_TABLE_NAME,
      clock: systemClock,
    }),
    rawMail: new S3RawMailStore({
      client: s3,
      bucket: config.ATENDE_RAW_MAIL_BUCKET,
      prefix: config.ATENDE_RAW_MAIL_PREFIX,
    }),
    attachments: new S3AttachmentStore({
      client: s3,
      bucket: config.ATENDE_ATTACHMENT_BUCKET ?? config.ATENDE_RAW_MAIL_BUCKET,
    }),
    mailer: new SesMailer({
      client: new SESv2Client({}),
      ...(config.ATENDE_SES_CONFIGURATION_SET ? { configurationSetName: config.ATENDE_SES_CONFIGURATION_SET } : {}),
    }),
    renderer,
    clock: systemClock,
    surveyLinks: new SignedSurveyLinks({
      secret: Buffer.from(surveySecret!, 'utf8'),
      baseUrl: config.ATENDE_PUBLIC_URL,
      policy,
      clock: systemClock,
    }),
    statusLinks: new SignedStatusLinks({
      secret: Buffer.from(surveySecret!, 'utf8'),
      baseUrl: config.ATENDE_PUBLIC_URL,
      policy,
      clock: systemClock,
    }),
    timers: new EventBridgeTimerScheduler({
      client: new SchedulerClient({}),
      groupName: config.ATENDE_SCHEDULE_GROUP,
      targetArn: config.ATENDE_TIMER_FUNCTION_ARN,
      roleArn: config.ATENDE_SCHEDULER_ROLE_ARN,
      deadLetterArn: config.ATENDE_TIMER_DEAD_LETTER_ARN,
    }),
    // The Lambda's metrics and logs (every function of this deployment reports alike).
    activity: lambdaTelemetry.activity,
  };
}
