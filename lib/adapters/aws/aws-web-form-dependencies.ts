import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readEnvironment } from '../config/environment.ts';
import { WebFormEnvironment } from '../config/web-form-environment.ts';
import { DynamoDbRequestCounters } from '../dynamodb/dynamodb-request-counters.ts';
import { hostedFormRoute } from '../http/hosted-form.ts';
import { pageStylesheetRoute } from '../http/html-page.ts';
import type { HttpRoute } from '../http/http-exchange.ts';
import { ticketApiRoute } from '../http/ticket-api.ts';
import { mimeComposer } from '../mail/mime-composer.ts';
import { loadPageStylesheet } from '../templates/page-template.ts';
import { TicketFormPage } from '../templates/ticket-form-page.ts';
import { awsIngestDependencies, InboundEmailEnvironment } from './aws-ingest-dependencies.ts';

/**
 * The web-form Lambda's routes on AWS, built once per cold start from the kernel's dependencies
 * (aws-ingest-dependencies.ts) and the web form's variables.
 */
export async function awsWebFormRoutes(environment: NodeJS.ProcessEnv): Promise<readonly HttpRoute[]> {
  const config = readEnvironment(
    {
      ...WebFormEnvironment,
      ATENDE_TABLE_NAME: InboundEmailEnvironment.ATENDE_TABLE_NAME,
      ATENDE_PUBLIC_URL: InboundEmailEnvironment.ATENDE_PUBLIC_URL,
    },
    environment,
  );
  const deps = { ...(await awsIngestDependencies(environment)), composer: mimeComposer };
  const form = await TicketFormPage.load(deps.policy);
  return [
    ticketApiRoute({
      deps,
      counters: new DynamoDbRequestCounters({ client: new DynamoDBClient({}), tableName: config.ATENDE_TABLE_NAME }),
      corsOrigins: [...config.ATENDE_CORS_ORIGINS, new URL(config.ATENDE_PUBLIC_URL).origin],
      signatureSecret: config.ATENDE_WEBFORM_SECRET,
      log: (line) => console.error(JSON.stringify({ level: 'error', code: 'web.failed', line })),
      form,
    }),
    hostedFormRoute({ page: form, policy: deps.policy }),
    pageStylesheetRoute(await loadPageStylesheet()),
  ];
}
