import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readEnvironment } from '../config/environment.ts';
import { WebFormEnvironment } from '../config/web-form-environment.ts';
import { DynamoDbRequestCounters } from '../dynamodb/dynamodb-request-counters.ts';
import { hostedFormRoute } from '../http/hosted-form.ts';
import { pageStylesheetRoute } from '../http/html-page.ts';
import type { HttpRoute } from '../http/http-exchange.ts';
import { statusPageRoute } from '../http/status-page.ts';
import { surveyAnswerRoute } from '../http/survey-answer-page.ts';
import { ticketApiRoute } from '../http/ticket-api.ts';
import { mimeComposer } from '../mail/mime-composer.ts';
import { loadPageStylesheet } from '../templates/page-template.ts';
import { SurveyPage } from '../templates/survey-page.ts';
import { TicketFormPage } from '../templates/ticket-form-page.ts';
import { TicketStatusPage } from '../templates/ticket-status-page.ts';
import { awsIngestDependencies, InboundEmailEnvironment } from './aws-ingest-dependencies.ts';
import { lambdaTelemetry } from './lambda-telemetry.ts';
import { signingSecret } from './secrets-manager-secret.ts';

/**
 * The largest file the status page offers for download from the Lambda: a synchronous invocation
 * answers API Gateway with at most 6 MB, and a file goes base64 (a third larger), so 4 MiB fits
 * with the headers. Larger files are listed, without a link.
 */
export const LAMBDA_FILE_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The web-form Lambda's routes on AWS, built once per cold start from the kernel's dependencies
 * (aws-ingest-dependencies.ts) and the web form's variables: POST /tickets, GET /form, the status
 * page (/t/…, its reply, close and file downloads), the survey page (/survey/…) and the stylesheet.
 */
export async function awsWebFormRoutes(environment: NodeJS.ProcessEnv): Promise<readonly HttpRoute[]> {
  const config = readEnvironment(
    {
      ATENDE_CORS_ORIGINS: WebFormEnvironment.ATENDE_CORS_ORIGINS,
      ATENDE_TABLE_NAME: InboundEmailEnvironment.ATENDE_TABLE_NAME,
      ATENDE_PUBLIC_URL: InboundEmailEnvironment.ATENDE_PUBLIC_URL,
    },
    environment,
  );
  const [ingest, webFormSecret] = await Promise.all([
    awsIngestDependencies(environment),
    signingSecret(() => new SecretsManagerClient({}), environment, 'ATENDE_WEBFORM_SECRET', {
      required: false,
      minLength: 1,
    }),
  ]);
  const deps = { ...ingest, composer: mimeComposer };
  const [form, statusPage, surveyPage, stylesheet] = await Promise.all([
    TicketFormPage.load(deps.policy),
    TicketStatusPage.load(deps.policy),
    SurveyPage.load(),
    loadPageStylesheet(),
  ]);
  // The links' signer reads them too: the other Lambdas sign the links they mail with the same key.
  const statusTokens = ingest.statusLinks;
  const log = (line: string) => lambdaTelemetry.logger.error('web.failed', { code: 'web.failed', line });
  return [
    ticketApiRoute({
      deps,
      counters: new DynamoDbRequestCounters({ client: new DynamoDBClient({}), tableName: config.ATENDE_TABLE_NAME }),
      corsOrigins: [...config.ATENDE_CORS_ORIGINS, new URL(config.ATENDE_PUBLIC_URL).origin],
      signatureSecret: webFormSecret,
      log,
      form,
    }),
    hostedFormRoute({ page: form, policy: deps.policy }),
    statusPageRoute({ deps: { ...deps, statusTokens }, page: statusPage, log, fileMaxBytes: LAMBDA_FILE_MAX_BYTES }),
    surveyAnswerRoute({ deps, page: surveyPage, log }),
    pageStylesheetRoute(stylesheet),
  ];
}
