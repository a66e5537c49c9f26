import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { ApiGatewayHttpResult } from '../../../lib/adapters/aws-events/api-gateway-http-event.ts';
import { systemClock } from '../../../lib/adapters/clock/system-clock.ts';
import { SignedStatusLinks } from '../../../lib/application/signed-status-links.ts';
import { SignedSurveyLinks } from '../../../lib/application/signed-survey-links.ts';
import { type TestTicketTable, testTicketTables } from '../../support/dynamodb-test-table.ts';
import { lambdaEnvironment } from '../../support/lambda-environment.ts';
import { lambdaContext, lambdaOutput } from '../../support/lambda-output.ts';
import { buildMail } from '../../support/mail-builder.ts';
import { repositoryPath, shippedPolicy } from '../../support/policy-fixtures.ts';

/**
 * The web-form Lambda (functions/web-form.ts) end to end on its real store (DynamoDB Local), fed
 * API Gateway HTTP API (payload 2.0) events as API Gateway sends them (test/fixtures/events/
 * api-gateway), with S3, SES and Scheduler mocked to assert the calls it makes, as the other
 * handler specs do. The pages' links are signed as the other Lambdas sign the links they mail:
 * with ATENDE_SURVEY_SECRET and ATENDE_PUBLIC_URL from the same environment.
 */
const tables = testTicketTables();
const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);
const scheduler = mockClient(SchedulerClient);
const environment = lambdaEnvironment('unset', 'unset');
const policy = shippedPolicy('default.yaml');
const linkOptions = {
  secret: Buffer.from(environment['ATENDE_SURVEY_SECRET']!, 'utf8'),
  baseUrl: environment['ATENDE_PUBLIC_URL']!,
  policy,
  clock: systemClock,
};
let table: TestTicketTable;
let handler: (event: unknown, context?: unknown) => Promise<ApiGatewayHttpResult>;
let inbound: (event: unknown) => Promise<{ results: unknown[] }>;

const fixture = (name: string) =>
  JSON.parse(readFileSync(repositoryPath(`test/fixtures/events/api-gateway/${name}.json`), 'utf8'));
/** The browser's GET of a page, at `path` (with its query). */
const pageRequest = (path: string, method = 'GET') => {
  const event = fixture('http-api-get-page');
  const [rawPath, rawQueryString = ''] = path.split('?', 2) as [string, string?];
  Object.assign(event, { rawPath, rawQueryString });
  Object.assign(event.requestContext.http, { path: rawPath, method });
  return event;
};
const pathOf = (link: string) => new URL(link).pathname;
const rawBody = (raw: Buffer) => Readable.from([raw]) as never;
let sent = 0;

/** The one ticket POST /tickets opens (the first spec), which the page specs then open. */
let opened: { number: number; statusUrl: string } | undefined;
const ticketOpened = () => {
  if (opened === undefined) throw new Error('POST /tickets did not open the ticket');
  return opened;
};

beforeAll(async () => {
  table = await tables.create();
  Object.assign(process.env, lambdaEnvironment(table.tableName, inject('dynamodbEndpoint')));
  ({ handler } = await import('../../../functions/web-form.ts'));
  ({ handler: inbound } = await import('../../../functions/inbound-email.ts'));
});
afterAll(() => tables.dropAll());
/** What the handler writes for CloudWatch: its log lines and its metrics (EMF). */
const output = lambdaOutput();
afterEach(() => output.stop());
beforeEach(() => {
  output.start();
  s3.reset();
  ses.reset();
  scheduler.reset();
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/x' });
  // SES's ids are unique across the file: the table keeps every one as a Message-ID index.
  ses.on(SendEmailCommand).callsFake(async () => ({ MessageId: `0100018f-web-${++sent}` }));
});

describe('the web-form Lambda', () => {
  it('opens a ticket from POST /tickets (201) and sends the acknowledgement through SES', async () => {
    const result = await handler(fixture('http-api-post-tickets'), lambdaContext('request-post', 'atende-web-form'));

    expect(result.statusCode).toBe(201);
    opened = JSON.parse(result.body);
    expect(opened).toEqual({
      number: expect.any(Number),
      statusUrl: expect.stringMatching(/^https:\/\/support\.example\.test\/t\/[^/]+$/),
    });
    const sends = ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
    expect(sends.map((input) => input.Destination?.ToAddresses)).toContainEqual(['ana@customer.example']);
    const ticket = await table.store.getTicket(opened!.number);
    expect(ticket).toMatchObject({ channel: 'web', locale: 'pt-BR', subject: 'Fatura <b>errada</b>' });
    expect(output.metric('TicketsCreated')).toBe(1);
    expect(output.metric('MailSent')).toBe(sends.length);
    expect(output.logLines()).toContainEqual(
      expect.objectContaining({ code: 'ticket.opened', channel: 'web', ticketNumber: opened!.number }),
    );
  });

  it("shows that ticket's status page (200) in Portuguese, its subject escaped, with the pages' headers", async () => {
    const result = await handler(pageRequest(pathOf(ticketOpened().statusUrl)));

    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(false);
    expect(result.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': expect.stringContaining("default-src 'none'"),
      'cache-control': 'no-store',
    });
    expect(result.body).toContain('<html lang="pt-BR">');
    expect(result.body).toContain('<dd id="ticket-subject">Fatura &lt;b&gt;errada&lt;/b&gt;</dd>');
    expect(result.body).not.toContain('<b>errada');
  });

  it('takes a reply from the page in a base64 form body, as API Gateway passes a form post', async () => {
    const path = pathOf(ticketOpened().statusUrl);
    const event = fixture('http-api-post-form');
    event.rawPath = `${path}/reply`;
    event.requestContext.http.path = `${path}/reply`;

    const result = await handler(event);

    expect(result.statusCode).toBe(303);
    expect(result.headers['location']).toBe(`${path}?done=replied`);
    const texts = (await table.store.listMessages(ticketOpened().number)).map((message) => message.text);
    expect(texts).toContain('O número do pedido é 4421');
  });

  it('records a survey link once: the second link of the mail finds the answer there', async () => {
    const ticket = (await table.store.getTicket(ticketOpened().number))!;
    const links = new SignedSurveyLinks(linkOptions).linksFor(ticket);

    const first = await handler(pageRequest(pathOf(links.good)));
    const second = await handler(pageRequest(pathOf(links.bad)));

    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Obrigado pela sua resposta');
    expect(first.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('Sua resposta já estava registrada');
    expect((await table.store.getTicket(ticket.number))?.satisfaction).toMatchObject({ rating: 'good' });
  });

  it('answers a tampered status link with the 400 problem page and nothing of the ticket', async () => {
    const link = pathOf(ticketOpened().statusUrl);
    const tampered = `${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`;

    const result = await handler(pageRequest(tampered));

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('id="problem"');
    expect(result.body).not.toContain('Fatura');
  });

  it('downloads a file of a ticket opened by mail from the attachment bucket, base64 for API Gateway', async () => {
    const pdf = Buffer.from('%PDF-1.7 the March invoice, as scanned');
    const raw = buildMail({
      from: 'Bruno Lima <bruno@customer.example>',
      subject: 'Invoice attached',
      attachments: [{ filename: 'fatura março.pdf', contentType: 'application/pdf', content: pdf }],
    });
    const event = JSON.parse(
      readFileSync(repositoryPath('test/fixtures/events/ses/receipt-lambda-action.json'), 'utf8'),
    );
    event.Records[0].ses.mail.messageId = 'web-form-spec-attachment';
    const hash = createHash('sha256').update(pdf).digest('hex');
    // The bucket as the inbound Lambda leaves it: the raw mail SES stored, and the file it put.
    s3.on(GetObjectCommand).callsFake(async (input: { Key: string }) => {
      if (input.Key === 'inbound/web-form-spec-attachment')
        return { Body: rawBody(raw), ContentLength: raw.byteLength };
      if (input.Key.endsWith(`/attachments/${hash}/fatura março.pdf`))
        return { Body: { transformToByteArray: async () => new Uint8Array(pdf) }, ContentType: 'application/pdf' };
      throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: {} });
    });
    s3.on(PutObjectCommand).resolves({});
    const [created] = (await inbound(event)).results as { ticketNumber: number }[];
    const ticket = (await table.store.getTicket(created!.ticketNumber))!;
    const key = `tickets/${ticket.number}/attachments/${hash}/fatura março.pdf`;
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toEqual([key]);
    const page = pathOf(new SignedStatusLinks(linkOptions).linkFor(ticket));

    const listed = await handler(pageRequest(page));
    const result = await handler(pageRequest(`${page}/files/1/0`));

    expect(listed.body).toContain(`<a href="${page}/files/1/0" download>fatura março.pdf</a>`);
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(true);
    expect(Buffer.from(result.body, 'base64')).toEqual(pdf);
    expect(result.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="fatura marco.pdf"; filename*=UTF-8''fatura%20mar%C3%A7o.pdf`,
      'x-content-type-options': 'nosniff',
    });
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toContainEqual({
      Bucket: 'atende-raw-mail-test',
      Key: key,
    });
  });

  it('serves the hosted form and the stylesheet the pages link', async () => {
    const form = await handler(pageRequest('/form?lang=es'));
    const css = await handler(pageRequest('/pages/page.css'));

    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<html lang="es">');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for a path no route takes', async () => {
    const result = await handler(pageRequest('/wp-admin/setup.php'));

    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body)).toEqual({ errors: [{ field: 'path', message: expect.any(String) }] });
  });

  it('answers 400 to an event that is not an HTTP API event, without touching the table', async () => {
    const before = table.commands.length;

    for (const event of [{}, null, { rawPath: '/tickets' }, { Records: [{ eventSource: 'aws:ses' }] }]) {
      const result = await handler(event);
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body)).toEqual({ errors: [{ field: 'body', message: 'Not an HTTP API event.' }] });
    }
    expect(table.commands.length).toBe(before);
  });
});
