import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { MessageRejected, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type TestTicketTable, testTicketTables } from '../../support/dynamodb-test-table.ts';
import { lambdaEnvironment } from '../../support/lambda-environment.ts';
import { lambdaContext, lambdaOutput } from '../../support/lambda-output.ts';
import { buildMail } from '../../support/mail-builder.ts';
import { repositoryPath } from '../../support/policy-fixtures.ts';

/**
 * The Lambda handler end to end on its real store (DynamoDB Local), with S3 and SES mocked
 * to assert the exact calls it makes and to inject their faults.
 */
const tables = testTicketTables();
const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);
const scheduler = mockClient(SchedulerClient);
const event = () =>
  JSON.parse(readFileSync(repositoryPath('test/fixtures/events/ses/receipt-lambda-action.json'), 'utf8'));
const SES_MESSAGE_ID = 'o3vrnil0e2ic28trr8b2n4ggbb1dd0b3ug5t8e01';
let table: TestTicketTable;
let handler: (event: unknown, context?: unknown) => Promise<{ results: unknown[] }>;
/** What the handler writes for CloudWatch: its log lines and its metrics (EMF). */
const output = lambdaOutput();
afterEach(() => output.stop());

// The SDK's Body is a Readable with helpers mixed in; the raw-mail store reads it as a Readable.
const rawBody = (raw: Buffer) => Readable.from([raw]) as never;

beforeAll(async () => {
  table = await tables.create();
  Object.assign(process.env, lambdaEnvironment(table.tableName, inject('dynamodbEndpoint')));
  ({ handler } = await import('../../../functions/inbound-email.ts'));
});
afterAll(() => tables.dropAll());
beforeEach(() => {
  s3.reset();
  ses.reset();
  scheduler.reset();
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/x' });
  let sent = 0;
  ses.on(SendEmailCommand).callsFake(async () => ({ MessageId: `0100018f-test-${++sent}` }));
  output.start();
});
const withMessageId = (messageId: string) => {
  const changed = event();
  changed.Records[0].ses.mail.messageId = messageId;
  return changed;
};

describe('the inbound-email Lambda', () => {
  it('reads the raw mail SES stored, opens a ticket and sends the acknowledgement and the agents notice through SES', async () => {
    const raw = buildMail({
      from: 'Ana Souza <ana@customer.example>',
      subject: 'Impressora não funciona',
      text: 'Olá, a impressora do escritório não funciona desde ontem. Podem ajudar?',
    });
    s3.on(GetObjectCommand).resolves({ Body: rawBody(raw), ContentLength: raw.byteLength });

    const { results } = await handler(event(), lambdaContext('request-new-ticket'));

    expect(results).toEqual([
      { outcome: 'created', ticketNumber: 1000, sent: ['acknowledgement', 'agent-new-ticket'] },
    ]);
    expect(output.metric('TicketsCreated')).toBe(1);
    expect(output.metric('MailSent')).toBe(2);
    expect(output.metric('MailFailed')).toBe(0);
    // Every line of the invocation: its request id, the SES message and, from the first on, the ticket.
    expect(output.logLines().map((line) => line.code)).toEqual([
      'ticket.opened',
      'mail.sent',
      'mail.sent',
      'inbound.processed',
    ]);
    for (const line of output.logLines())
      expect(line).toMatchObject({
        function_request_id: 'request-new-ticket',
        sesMessageId: SES_MESSAGE_ID,
        ticketNumber: 1000,
      });
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'atende-raw-mail-test', Key: `inbound/${SES_MESSAGE_ID}` },
    ]);
    const sends = ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
    expect(sends.map((input) => [input.FromEmailAddress, input.Destination?.ToAddresses])).toEqual([
      ['servicedesk@example.com', ['ana@customer.example']],
      ['servicedesk@example.com', ['servicedesk-agents@example.com']],
    ]);
    const acknowledgement = Buffer.from(sends[0]!.Content!.Raw!.Data!).toString('utf8');
    expect(acknowledgement).toMatch(/^Auto-Submitted: auto-replied/m);
    expect(acknowledgement).toMatch(/^In-Reply-To: <test-\d+-\d+@mail\.customer\.example>/m);
    // SES's id, as the customer's client will quote it, threads the reply.
    const messages = await table.store.listMessages(1000);
    expect(messages.map((message) => message.messageId)).toContain('<0100018f-test-1@eu-west-1.amazonses.com>');
  });

  it('does nothing twice when SES delivers the same event again', async () => {
    const raw = buildMail({});
    s3.on(GetObjectCommand).resolves({ Body: rawBody(raw), ContentLength: raw.byteLength });

    const { results } = await handler(event());

    expect(results).toEqual([{ outcome: 'duplicate', ticketNumber: 1000, sent: [] }]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(output.emf()).toEqual([]);
  });

  it('throws on an SES fault so Lambda retries, keeping the unsent mail owed', async () => {
    const raw = buildMail({ from: 'bruno@customer.example', subject: 'Another problem' });
    s3.on(GetObjectCommand).resolves({ Body: rawBody(raw), ContentLength: raw.byteLength });
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), {
      name: 'TooManyRequestsException',
      $metadata: {},
    });
    ses.on(SendEmailCommand).rejects(throttled);
    const second = withMessageId('second-message-id');

    await expect(handler(second, lambdaContext('request-throttled'))).rejects.toThrow();
    // A send that may pass is no failure: the alarm on MailFailed must not fire for a throttle.
    expect(output.metric('MailFailed')).toBe(0);
    expect(output.metric('TicketsCreated')).toBe(1);
    // The error Lambda retries on is logged with the request id and the ticket it was for.
    expect(output.logLines().at(-1)).toMatchObject({
      level: 'ERROR',
      code: 'inbound.failed',
      error: { name: 'TooManyRequestsException' },
      function_request_id: 'request-throttled',
      ticketNumber: (await table.store.getReceipt('second-message-id'))?.ticketNumber,
    });
    expect(
      (await table.store.getReceipt('second-message-id'))?.owed.flatMap((effect) =>
        effect.kind === 'mail' ? [effect.purpose] : [effect.kind],
      ),
    ).toEqual(['acknowledgement', 'agent-new-ticket']);
  });

  it('drops an event that is not an SES receipt instead of retrying it forever', async () => {
    expect(await handler({ Records: [{ eventSource: 'aws:s3' }] }, lambdaContext('request-junk'))).toEqual({
      results: [],
    });
    expect(s3.calls()).toHaveLength(0);
    expect(output.logLines()).toEqual([
      expect.objectContaining({ level: 'ERROR', code: 'inbound.invalidEvent', function_request_id: 'request-junk' }),
    ]);
  });

  it('counts mail kept in quarantine (a spam verdict), and no ticket', async () => {
    const spam = withMessageId('spam-message-id');
    spam.Records[0].ses.receipt.spamVerdict = { status: 'FAIL' };

    expect((await handler(spam, lambdaContext('request-spam'))).results).toEqual([
      { outcome: 'quarantined', reason: 'inbound.spam' },
    ]);
    expect(output.metric('MessagesQuarantined')).toBe(1);
    expect(output.metric('TicketsCreated')).toBe(0);
    expect(output.logLines()).toContainEqual(
      expect.objectContaining({ code: 'message.quarantined', reason: 'inbound.spam' }),
    );
  });

  it('counts each mail SES refuses for good as MailFailed, the metric the stack alarms on', async () => {
    const raw = buildMail({ from: 'carla@customer.example', subject: 'Yet another problem' });
    s3.on(GetObjectCommand).resolves({ Body: rawBody(raw), ContentLength: raw.byteLength });
    ses
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: { httpStatusCode: 400 } }));

    const { results } = await handler(withMessageId('refused-message-id'), lambdaContext('request-refused'));

    expect(results).toMatchObject([{ outcome: 'created', sent: [] }]);
    const { ticketNumber } = results[0] as { ticketNumber: number };
    expect(output.metric('MailFailed')).toBe(2);
    expect(output.metric('MailSent')).toBe(0);
    const [document] = output.emf();
    expect(document).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Atende', Dimensions: [['service']] }] },
      service: 'atende',
    });
    expect(output.logLines().filter((line) => line.code === 'mail.failedForGood')).toEqual([
      expect.objectContaining({ level: 'WARN', refusal: 'mail.rejected', ticketNumber }),
      expect.objectContaining({ level: 'WARN', refusal: 'mail.rejected', ticketNumber }),
    ]);
  });
});
