import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { fireTimer } from '../../application/fire-timer.ts';
import { type InboundEmail, ingestEmail } from '../../application/ingest-email.ts';
import { supportAddresses } from '../../domain/routing/support-routing.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from '../dynamodb/dynamodb-local.ts';
import { DynamoDbRequestCounters } from '../dynamodb/dynamodb-request-counters.ts';
import { createTicketTable } from '../dynamodb/ticket-table.ts';
import { hostedFormRoute } from '../http/hosted-form.ts';
import { pageStylesheetRoute } from '../http/html-page.ts';
import { statusPageRoute } from '../http/status-page.ts';
import { surveyAnswerRoute } from '../http/survey-answer-page.ts';
import { ticketApiRoute } from '../http/ticket-api.ts';
import { type SesEmulator, startSesEmulator } from '../mail/ses-emulator.ts';
import { loadPageStylesheet } from '../templates/page-template.ts';
import { SurveyPage } from '../templates/survey-page.ts';
import { TicketFormPage } from '../templates/ticket-form-page.ts';
import { TicketStatusPage } from '../templates/ticket-status-page.ts';
import { type LocalDependencies, localDependencies } from './local-dependencies.ts';
import { type LocalHttpServer, startLocalHttpServer } from './local-http-server.ts';
import type { LocalStackConfig } from './local-stack-config.ts';
import { ensureLocalStackPortsFree, localStackPorts } from './local-stack-ports.ts';
import { startLocalTimerLoop } from './local-timer-loop.ts';
import { type SmtpListener, startSmtpListener } from './smtp-listener.ts';
import { resumeSpooledMail, SmtpSpool } from './smtp-spool.ts';

export interface RunningLocalStack {
  readonly config: LocalStackConfig;
  readonly dependencies: LocalDependencies;
  stop(): Promise<void>;
}

/**
 * Starts atende on one machine: DynamoDB Local (data kept in the data directory), the SES
 * emulator, the SMTP listener and the HTTP server, all running the same use cases as AWS.
 * Mail a previous run died processing (its spool) is finished before the listener takes new
 * mail; one stack runs on a data directory at a time. A port another program holds stops it
 * before any part starts; if a part fails to start, the parts already started are stopped again.
 */
export async function startLocalStack(
  config: LocalStackConfig,
  log: (line: string) => void = () => {},
): Promise<RunningLocalStack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((error: unknown) => log(`stop: ${String(error)}`));
  };
  try {
    await ensureLocalStackPortsFree(localStackPorts(config));
    await mkdir(config.dataDirectory, { recursive: true });
    const dynamodb: DynamoDbLocal = await startDynamoDbLocal({
      port: config.dynamodbPort,
      dataDirectory: join(config.dataDirectory, 'dynamodb'),
    });
    stops.push(() => dynamodb.stop());
    const ses: SesEmulator = await startSesEmulator({ port: config.sesPort });
    stops.push(() => ses.stop());
    const dependencies = await localDependencies(config);
    stops.push(async () => dependencies.close());
    await ensureTable(dependencies, config);
    const spool = new SmtpSpool(join(config.dataDirectory, 'spool'));
    const ingest = (inbound: InboundEmail) => ingestEmail(dependencies, inbound);
    // What a previous run died processing is finished before new mail is taken.
    await resumeSpooledMail({ spool, store: dependencies.store, ingest, log });
    const smtp: SmtpListener = await startSmtpListener({
      port: config.smtpPort,
      rawMail: dependencies.rawMail,
      spool,
      acceptedRecipients: supportAddresses(dependencies.policy),
      users: config.smtpUsers,
      ingest,
      log,
    });
    stops.push(() => smtp.stop());
    const timerLoop = startLocalTimerLoop({
      timers: dependencies.timers,
      clock: dependencies.clock,
      fire: async (timer) => {
        await fireTimer(dependencies, timer.firing);
      },
      log,
    });
    stops.push(() => timerLoop.stop());
    const formPage = await TicketFormPage.load(dependencies.policy);
    const http: LocalHttpServer = await startLocalHttpServer({
      port: config.httpPort,
      routes: [
        ticketApiRoute({
          deps: dependencies,
          counters: new DynamoDbRequestCounters({ client: dependencies.dynamodb, tableName: config.tableName }),
          corsOrigins: [...config.corsOrigins, new URL(dependencies.publicUrl).origin],
          signatureSecret: config.webFormSecret,
          log,
          form: formPage,
        }),
        hostedFormRoute({ page: formPage, policy: dependencies.policy }),
        statusPageRoute({
          deps: { ...dependencies, statusTokens: dependencies.statusLinks },
          page: await TicketStatusPage.load(dependencies.policy),
          log,
        }),
        surveyAnswerRoute({ deps: dependencies, page: await SurveyPage.load(), log }),
        pageStylesheetRoute(await loadPageStylesheet()),
      ],
      checks: {
        dynamodb: async () => {
          await dependencies.store.getTicket(0);
          return true;
        },
        ses: async () => (await fetch(`${ses.endpoint}/health-check`, { signal: AbortSignal.timeout(2_000) })).ok,
        smtp: async () => true,
      },
    });
    stops.push(() => http.stop());
    return { config, dependencies, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The local table survives restarts in the data directory; it is created on the first start. */
async function ensureTable(dependencies: LocalDependencies, config: LocalStackConfig): Promise<void> {
  const client = dependencies.dynamodb;
  try {
    await client.send(new DescribeTableCommand({ TableName: config.tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await createTicketTable(client, config.tableName);
  }
}
