import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type TestTicketTable, testTicketTables } from '../../support/dynamodb-test-table.ts';
import { lambdaEnvironment } from '../../support/lambda-environment.ts';
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
let handler: (event: unknown) => Promise<{ results: unknown[] }>;

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
});

describe('the inbound-email Lambda', () => {
  it('reads the raw mail SES stored, opens a ticket and sends the acknowledgement and the agents notice through SES', async () => {
    const raw = buildMail({
      from: 'Ana Souza <ana@customer.example>',
      subject: 'Impressora não funciona',
      text: 'Olá, a impressora do escritório não funciona desde ontem. Podem ajudar?',
    });
    s3.on(GetObjectCommand).resolves({ Body: rawBody(raw), ContentLength: raw.byteLength });

    const { results } = await handler(event());

    expect(results).toEqual([
      { outcome: 'created', ticketNumber: 1000, sent: ['acknowledgement', 'agent-new-ticket'] },
    ]);
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
  });

  it('throws on an SES fault so Lambda retries, keeping the unsent mail owed', async () => {
    const raw = buildMail({ from: 'bruno@customer.example', subject: 'Another problem' });
    s3.on(GetObjectCommand).resolves({ Body: rawBody(raw), ContentLength: raw.byteLength });
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), {
      name: 'TooManyRequestsException',
      $metadata: {},
    });
    ses.on(SendEmailCommand).rejects(throttled);
    const second = event();
    second.Records[0].ses.mail.messageId = 'second-message-id';

    await expect(handler(second)).rejects.toThrow();
    expect(
      (await table.store.getReceipt('second-message-id'))?.owed.flatMap((effect) =>
        effect.kind === 'mail' ? [effect.purpose] : [effect.kind],
      ),
    ).toEqual(['acknowledgement', 'agent-new-ticket']);
  });

  it('drops an event that is not an SES receipt instead of retrying it forever', async () => {
    expect(await handler({ Records: [{ eventSource: 'aws:s3' }] })).toEqual({ results: [] });
    expect(s3.calls()).toHaveLength(0);
  });
});
