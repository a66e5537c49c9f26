import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LambdaTelemetry } from '../../../lib/adapters/aws/lambda-telemetry.ts';
import type { SupportActivity } from '../../../lib/application/ports/support-activity.ts';
import { SUPPORT_METRICS } from '../../../lib/application/ports/support-metrics.ts';
import { lambdaContext, lambdaOutput } from '../../support/lambda-output.ts';

/** The Lambdas' logs and metrics as CloudWatch reads them: what Powertools writes, line by line. */
const output = lambdaOutput();
beforeEach(() => output.start());
afterEach(() => output.stop());
const { logLines, emf } = output;

const EVERY_ACTIVITY: readonly SupportActivity[] = [
  { kind: 'ticket-opened', ticketNumber: 1000, channel: 'email' },
  { kind: 'message-threaded', ticketNumber: 1000, via: 'subject-tag' },
  { kind: 'message-quarantined', reason: 'inbound.spam' },
  { kind: 'mail-sent', ticketNumber: 1000, purpose: 'acknowledgement' },
  { kind: 'mail-failed', ticketNumber: 1000, purpose: 'acknowledgement', code: 'mail.rejected' },
  { kind: 'escalation-sent', ticketNumber: 1000, level: 2 },
];

describe('the Lambdas’ log lines', () => {
  it('carry the request id on every line, and the ticket number from the activity that names it on', async () => {
    const telemetry = new LambdaTelemetry();

    await telemetry.invocation(lambdaContext('request-1'), async () => {
      telemetry.logger.info('inbound.received', { code: 'inbound.received' });
      telemetry.activity.report({ kind: 'ticket-opened', ticketNumber: 1042, channel: 'email' });
      telemetry.logger.info('inbound.processed', { code: 'inbound.processed' });
    });

    expect(logLines()).toEqual([
      expect.objectContaining({ level: 'INFO', code: 'inbound.received', function_request_id: 'request-1' }),
      expect.objectContaining({ code: 'ticket.opened', function_request_id: 'request-1', ticketNumber: 1042 }),
      expect.objectContaining({ code: 'inbound.processed', function_request_id: 'request-1', ticketNumber: 1042 }),
    ]);
    expect(logLines()[0]).not.toHaveProperty('ticketNumber');
    expect(logLines()[0]).toMatchObject({ service: 'atende', function_name: 'atende-inbound-email' });
  });

  it('do not carry an earlier invocation’s ticket number or request id', async () => {
    const telemetry = new LambdaTelemetry();
    await telemetry.invocation(lambdaContext('request-1'), async () => {
      telemetry.activity.report({ kind: 'mail-sent', ticketNumber: 1042, purpose: 'acknowledgement' });
    });
    output.clear();

    await telemetry.invocation(lambdaContext('request-2'), async () => {
      telemetry.logger.info('timer.fired', { code: 'timer.fired' });
    });

    expect(logLines()).toHaveLength(1);
    expect(logLines()[0]).toMatchObject({ function_request_id: 'request-2' });
    expect(logLines()[0]).not.toHaveProperty('ticketNumber');
  });

  it('drop the previous item’s keys when the next item of one event is worked on', async () => {
    const telemetry = new LambdaTelemetry();

    await telemetry.invocation(lambdaContext('request-1'), async () => {
      telemetry.workingOn({ sesMessageId: 'first' });
      telemetry.activity.report({ kind: 'ticket-opened', ticketNumber: 1000, channel: 'email' });
      telemetry.workingOn({ sesMessageId: 'second' });
      telemetry.logger.info('inbound.processed', { code: 'inbound.processed' });
    });

    const last = logLines().at(-1)!;
    expect(last).toMatchObject({ sesMessageId: 'second', function_request_id: 'request-1' });
    expect(last).not.toHaveProperty('ticketNumber');
  });

  it('say what a mail refused for good was and why, as a warning', async () => {
    const telemetry = new LambdaTelemetry();

    await telemetry.invocation(lambdaContext('request-1'), async () => {
      telemetry.activity.report({ kind: 'mail-failed', ticketNumber: 7, purpose: 'escalation', code: 'mail.rejected' });
    });

    expect(logLines()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        code: 'mail.failedForGood',
        purpose: 'escalation',
        refusal: 'mail.rejected',
        ticketNumber: 7,
      }),
    ]);
  });

  it('go without Lambda keys when the handler is given no Lambda context', async () => {
    const telemetry = new LambdaTelemetry();

    await telemetry.invocation({ not: 'a context' }, async () => telemetry.logger.info('x', { code: 'x' }));

    expect(logLines()[0]).toMatchObject({ code: 'x', service: 'atende' });
    expect(logLines()[0]).not.toHaveProperty('function_request_id');
  });
});

describe('the Lambdas’ metrics (embedded metric format)', () => {
  it('are one document per invocation in the Atende namespace with the single dimension service=atende', async () => {
    const telemetry = new LambdaTelemetry();

    await telemetry.invocation(lambdaContext('request-1'), async () => {
      telemetry.activity.report({ kind: 'ticket-opened', ticketNumber: 1000, channel: 'email' });
      telemetry.activity.report({ kind: 'mail-sent', ticketNumber: 1000, purpose: 'acknowledgement' });
      telemetry.activity.report({ kind: 'mail-sent', ticketNumber: 1000, purpose: 'agent-new-ticket' });
    });

    const [document, ...more] = emf();
    expect(more).toEqual([]);
    const directive = (document!._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] })
      .CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe('Atende');
    expect(directive.Dimensions).toEqual([['service']]);
    expect(document!.service).toBe('atende');
    expect(directive).toMatchObject({
      Metrics: expect.arrayContaining([
        { Name: 'TicketsCreated', Unit: 'Count' },
        { Name: 'MailSent', Unit: 'Count' },
      ]),
    });
    expect(document!.TicketsCreated).toBe(1);
    expect([document!.MailSent].flat()).toEqual([1, 1]);
  });

  it('name each kind of activity as SUPPORT_METRICS says, MailFailed for a mail refused for good', async () => {
    const telemetry = new LambdaTelemetry();

    await telemetry.invocation(lambdaContext('request-1'), async () => {
      for (const activity of EVERY_ACTIVITY) telemetry.activity.report(activity);
    });

    const [document] = emf();
    for (const activity of EVERY_ACTIVITY) expect(document![SUPPORT_METRICS.names[activity.kind]]).toBe(1);
    expect(document!.MailFailed).toBe(1);
    // No field of an activity's line is one Powertools reserves (and drops with a warning).
    expect(logLines().map((line) => line.message)).not.toContainEqual(expect.stringMatching(/reserved key/));
  });

  it('are published when the invocation fails, and the error still reaches Lambda', async () => {
    const telemetry = new LambdaTelemetry();

    await expect(
      telemetry.invocation(lambdaContext('request-1'), async () => {
        telemetry.activity.report({ kind: 'mail-failed', ticketNumber: 1, purpose: 'acknowledgement', code: 'x' });
        throw new Error('SES is down');
      }),
    ).rejects.toThrow('SES is down');

    expect(emf()).toHaveLength(1);
    expect(emf()[0]!.MailFailed).toBe(1);
  });

  it('write nothing for an invocation that reported nothing (no empty document, no warning)', async () => {
    const telemetry = new LambdaTelemetry();

    await telemetry.invocation(lambdaContext('request-1'), async () => undefined);

    expect(output.lines()).toEqual([]);
  });
});
