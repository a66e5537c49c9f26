import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IngestEmailDeps } from '../../application/ingest-email.ts';
import type { Clock } from '../../application/ports/clock.ts';
import type { RecordSurveyAnswerDeps } from '../../application/record-survey-answer.ts';
import { SignedStatusLinks } from '../../application/signed-status-links.ts';
import { SignedSurveyLinks } from '../../application/signed-survey-links.ts';
import type { SubmitWebFormDeps } from '../../application/submit-web-form.ts';
import { SlaClock } from '../../domain/sla/sla-schedule.ts';
import { FileAttachmentStore } from '../attachments/file-attachment-store.ts';
import { LocalStackClock } from '../clock/local-stack-clock.ts';
import { localDynamoDbClientConfig } from '../dynamodb/dynamodb-local.ts';
import { DynamoDbTicketStore } from '../dynamodb/dynamodb-ticket-store.ts';
import { LocalMailer } from '../mail/local-mailer.ts';
import { mimeComposer } from '../mail/mime-composer.ts';
import { loadPolicyFile } from '../policy-file.ts';
import { FileRawMailStore } from '../raw-mail/file-raw-mail-store.ts';
import { HandlebarsNotificationRenderer } from '../templates/handlebars-notification-renderer.ts';
import type { LocalStackConfig } from './local-stack-config.ts';
import { LocalTimers } from './local-timers.ts';
import { localSurveySecret } from './survey-secret.ts';

/** Where the local stack keeps raw inbound mail, under its data directory. */
export const rawMailDirectory = (config: LocalStackConfig): string => join(config.dataDirectory, 'raw');

/** Where the local stack keeps messages' attachments, under its data directory. */
export const attachmentDirectory = (config: Pick<LocalStackConfig, 'dataDirectory'>): string =>
  join(config.dataDirectory, 'attachments');

export interface LocalDependencies extends IngestEmailDeps, RecordSurveyAnswerDeps, SubmitWebFormDeps {
  readonly dynamodb: DynamoDBClient;
  /** The stack's HTTP server as customers' links name it: `http://127.0.0.1:<ATENDE_HTTP_PORT>`. */
  readonly publicUrl: string;
  readonly store: DynamoDbTicketStore;
  readonly rawMail: FileRawMailStore;
  readonly attachments: FileAttachmentStore;
  readonly mailer: LocalMailer;
  readonly timers: LocalTimers;
  /** Signed with the stack's secret, pointing at its HTTP server: `http://127.0.0.1:<ATENDE_HTTP_PORT>/survey/<token>`. */
  readonly surveyLinks: SignedSurveyLinks;
  /** Signed with the same secret (kept apart by purpose), pointing at the same server: `/t/<token>`. */
  readonly statusLinks: SignedStatusLinks;
  /** Closes network clients so a command can exit at once. */
  close(): void;
}

/**
 * The use cases' dependencies against the local parts: DynamoDB Local, the SES emulator,
 * raw mail and the outbox in the data directory. Used by `npm start` and by the CLI
 * commands that act on the running stack.
 */
export async function localDependencies(
  config: LocalStackConfig,
  clock: Clock = new LocalStackClock(config.dataDirectory),
): Promise<LocalDependencies> {
  const [policy, renderer, surveySecret] = await Promise.all([
    loadPolicyFile(config.policyPath),
    HandlebarsNotificationRenderer.load(),
    localSurveySecret({ dataDirectory: config.dataDirectory, override: config.surveySecret }),
  ]);
  const client = new DynamoDBClient(localDynamoDbClientConfig(config.dynamodbEndpoint));
  const publicUrl = `http://127.0.0.1:${config.httpPort}`;
  const mailer = new LocalMailer({ endpoint: config.sesEndpoint, dataDirectory: config.dataDirectory, clock });
  return {
    dynamodb: client,
    policy,
    sla: new SlaClock(policy),
    store: new DynamoDbTicketStore({ client, tableName: config.tableName, clock }),
    rawMail: new FileRawMailStore(rawMailDirectory(config)),
    attachments: new FileAttachmentStore(attachmentDirectory(config)),
    mailer,
    composer: mimeComposer,
    renderer,
    clock,
    timers: new LocalTimers(config.dataDirectory),
    publicUrl,
    surveyLinks: new SignedSurveyLinks({
      secret: surveySecret,
      baseUrl: publicUrl,
      policy,
      clock,
    }),
    statusLinks: new SignedStatusLinks({
      secret: surveySecret,
      baseUrl: publicUrl,
      policy,
      clock,
    }),
    close: () => {
      client.destroy();
      mailer.close();
    },
  };
}
