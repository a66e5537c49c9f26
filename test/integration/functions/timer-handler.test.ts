import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { TimerFiring } from '../../../lib/application/ports/timer-scheduler.ts';
import { type TestTicketTable, testTicketTables } from '../../support/dynamodb-test-table.ts';
import { lambdaEnvironment } from '../../support/lambda-environment.ts';
import { lambdaContext, lambdaOutput } from '../../support/lambda-output.ts';
import { buildMail } from '../../support/mail-builder.ts';
import { at, repositoryPath } from '../../support/policy-fixtures.ts';

/**
 * The timer Lambda on its real store (DynamoDB Local), with SES and Scheduler mocked to assert
 * the exact calls it makes and to inject their faults. A ticket is opened through the inbound
 * Lambda; the timer Lambda is then invoked with what Scheduler would deliver (the Input of the
 * schedule the inbound Lambda created) at its due time. Only Date is faked: the handlers read
 * the time through the machine's clock.
 */
const tables = testTicketTables();
const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);
const scheduler = mockClient(SchedulerClient);
const MONDAY_10AM = at('2026-11-23T10:00:00-05:00');
let table: TestTicketTable;
let inbound: (event: unknown) => Promise<{ results: unknown[] }>;
let timer: (event: unknown, context?: unknown) => Promise<unknown>;
/** What the handlers write for CloudWatch: log lines and metrics (EMF). */
const output = lambdaOutput();
afterEach(() => output.stop());
/** The first ticket's warning firing, as Scheduler delivered it (delivered again by the second spec). */
let warning: TimerFiring | undefined;

const rawBody = (raw: Buffer) => Readable.from([raw]) as never;
const sesEvent = (messageId: string) => {
  const event = JSON.parse(readFileSync(repositoryPath('test/fixtures/events/ses/receipt-lambda-action.json'), 'utf8'));
  event.Records[0].ses.mail.messageId = messageId;
  return event;
};
/** The schedules created or moved so far, by name, with the firing each delivers. */
const schedules = (): { name: string; firing: TimerFiring }[] =>
  [...scheduler.commandCalls(CreateScheduleCommand), ...scheduler.commandCalls(UpdateScheduleCommand)].map((call) => ({
    name: call.args[0].input.Name!,
    firing: JSON.parse(call.args[0].input.Target!.Input!),
  }));
const destinationsSent = () =>
  ses
    .commandCalls(SendEmailCommand)
    .map((call) => [
      ...(call.args[0].input.Destination?.ToAddresses ?? []),
      ...(call.args[0].input.Destination?.CcAddresses ?? []),
    ]);
const subjectOf = (index: number) =>
  /^Subject: (.*)$/m.exec(
    Buffer.from(ses.commandCalls(SendEmailCommand)[index]!.args[0].input.Content!.Raw!.Data!).toString('utf8'),
  )?.[1];
let sent = 0;
const sesAccepts = () => ses.on(SendEmailCommand).callsFake(async () => ({ MessageId: `0100018f-timer-${++sent}` }));

/** Opens a ticket through the inbound Lambda on Monday 10:00 and returns the firing its schedule carries. */
async function openedTicket(messageId: string, from: string): Promise<TimerFiring> {
  vi.setSystemTime(MONDAY_10AM);
  const raw = buildMail({
    from,
    subject: 'Reports show no data',
    text: 'Since this morning the weekly report is empty.',
  });
  s3.on(GetObjectCommand).resolves({ Body: rawBody(raw), ContentLength: raw.byteLength });
  const { results } = await inbound(sesEvent(messageId));
  expect(results).toMatchObject([{ outcome: 'created' }]);
  const [first] = schedules();
  expect(first).toBeDefined();
  ses.resetHistory();
  scheduler.resetHistory();
  return first!.firing;
}

beforeAll(async () => {
  table = await tables.create();
  Object.assign(process.env, lambdaEnvironment(table.tableName, inject('dynamodbEndpoint')));
  ({ handler: inbound } = await import('../../../functions/inbound-email.ts'));
  ({ handler: timer } = await import('../../../functions/timer.ts'));
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterAll(async () => {
  vi.useRealTimers();
  await tables.dropAll();
});
beforeEach(() => {
  s3.reset();
  ses.reset();
  scheduler.reset();
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/x' });
  scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:eu-west-1:123456789012:schedule/x' });
  sesAccepts();
  output.start();
});

describe('the timer Lambda', () => {
  it('sends the SLA alert through SES when the schedule fires at its time, and creates the next schedule', async () => {
    const firing = await openedTicket('timer-spec-1', 'ana@customer.example');
    expect(firing).toMatchObject({ schedule: 'ticket-1000-timer-0', ticketNumber: 1000, kind: 'warning' });
    vi.setSystemTime(Date.parse(firing.dueAt));
    warning = firing;

    const outcome = await timer(firing);

    expect(outcome).toEqual({ outcome: 'acted', ticketNumber: 1000, acted: ['firstResponse.warning'] });
    expect(destinationsSent()).toEqual([['servicedesk-agents@example.com']]);
    expect(subjectOf(0)).toContain('[Atende #1000]');
    const next = scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input);
    expect(next.map((input) => [input.Name, input.GroupName])).toEqual([['ticket-1000-timer-1', 'atende-test']]);
    expect(JSON.parse(next[0]!.Target!.Input!)).toMatchObject({
      schedule: 'ticket-1000-timer-1',
      ticketNumber: 1000,
      kind: 'breach',
    });
    expect((await table.store.getTicket(1000))!.timerLog.map((acted) => acted.key)).toEqual(['firstResponse.warning']);
  });

  it('sends nothing when Scheduler delivers the same firing again', async () => {
    const ticket = await table.store.getTicket(1000);
    vi.setSystemTime(Date.parse(warning!.dueAt) + 60_000);

    const outcome = await timer(warning);

    expect(outcome).toEqual({ outcome: 'duplicate', ticketNumber: 1000 });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(scheduler.calls()).toHaveLength(0);
    expect(await table.store.getTicket(1000)).toEqual(ticket);
  });

  it('drops a malformed payload without throwing, and says why in the log', async () => {
    expect(await timer({ schedule: 'ticket-1000-timer-0', ticketNumber: 'a thousand' })).toEqual({
      outcome: 'invalid',
    });
    expect(await timer('not even an object')).toEqual({ outcome: 'invalid' });
    const lines = output.logLines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'ERROR', code: 'timer.invalidFiring' });
    expect((lines[0]!.issues as string[]).join('\n')).toContain('ticketNumber');
    expect(ses.calls()).toHaveLength(0);
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('throws on an SES throttle so Scheduler retries, and the retry sends the owed mail once', async () => {
    const firing = await openedTicket('timer-spec-2', 'bruno@customer.example');
    expect(firing.ticketNumber).toBe(1001);
    vi.setSystemTime(Date.parse(firing.dueAt));
    const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling', $metadata: {} });
    ses.on(SendEmailCommand).rejects(throttled);

    await expect(timer(firing)).rejects.toThrow('Maximum sending rate exceeded.');
    ses.reset();
    sesAccepts();
    vi.setSystemTime(Date.parse(firing.dueAt) + 60_000);

    expect(await timer(firing)).toEqual({ outcome: 'duplicate', ticketNumber: 1001 });
    expect(destinationsSent()).toEqual([['servicedesk-agents@example.com']]);
    expect(subjectOf(0)).toContain('[Atende #1001]');
    expect(schedules().map((schedule) => schedule.name)).toContain('ticket-1001-timer-1');

    ses.resetHistory();
    expect(await timer(firing)).toEqual({ outcome: 'duplicate', ticketNumber: 1001 });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('counts an escalation when a firing escalates, on lines that carry the request id and the ticket', async () => {
    let firing = await openedTicket('timer-spec-escalation', 'eva@customer.example');
    // Scheduler delivers each schedule at its time; each firing plans the next.
    for (let fired = 0; firing.kind !== 'escalation' && fired < 5; fired += 1) {
      vi.setSystemTime(Date.parse(firing.dueAt));
      scheduler.resetHistory();
      await timer(firing, lambdaContext(`request-${firing.schedule}`, 'atende-timer'));
      firing = schedules().at(-1)!.firing;
    }
    expect(firing.kind).toBe('escalation');
    vi.setSystemTime(Date.parse(firing.dueAt));
    ses.resetHistory();
    output.clear();

    await timer(firing, lambdaContext('request-escalation', 'atende-timer'));

    expect(output.metric('Escalations')).toBe(1);
    const escalationMail = ses.commandCalls(SendEmailCommand).length;
    expect(escalationMail).toBeGreaterThan(0);
    expect(output.metric('MailSent')).toBe(escalationMail);
    expect(output.logLines().map((line) => line.code)).toContain('escalation.sent');
    for (const line of output.logLines())
      expect(line).toMatchObject({
        function_request_id: 'request-escalation',
        function_name: 'atende-timer',
        ticketNumber: firing.ticketNumber,
      });
  });

  it('acts on a firing that carries a field it does not know (a newer deployment scheduled it)', async () => {
    const firing = await openedTicket('timer-spec-extra', 'dora@customer.example');
    vi.setSystemTime(Date.parse(firing.dueAt));

    const outcome = await timer({ ...firing, priorityAtPlanning: 'medium' });

    expect(outcome).toMatchObject({ outcome: 'acted', ticketNumber: firing.ticketNumber });
  });
});
