import {
  AccountSendingPausedException,
  MessageRejected,
  SESClient,
  SESServiceException,
  SendRawEmailCommand,
  type SendRawEmailCommandInput,
} from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SesMailer, sesMessageId } from '../../../lib/adapters/mail/ses-mailer.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { acknowledgement, headerNamed } from './outgoing-mail-fixtures.ts';

// The exact SendRawEmail requests; SES's answers to them are in test/integration/mail-adapters (moto).
const ses = mockClient(SESClient);
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const mailerIn = (region: string, configurationSetName?: string) =>
  new SesMailer({
    client: new SESClient({ region, credentials }),
    ...(configurationSetName !== undefined ? { configurationSetName } : {}),
  });

const sentInput = (): SendRawEmailCommandInput => {
  const calls = ses.commandCalls(SendRawEmailCommand);
  expect(calls).toHaveLength(1);
  const input = calls[0]?.args[0].input;
  if (input === undefined) throw new Error('no SendRawEmail call');
  return input;
};

const rawOf = (input: SendRawEmailCommandInput): Buffer => {
  const data = input.RawMessage?.Data;
  if (!(data instanceof Uint8Array)) throw new Error('RawMessage.Data is not bytes');
  return Buffer.from(data);
};

const failure = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

beforeEach(() => {
  ses.reset();
});
afterAll(() => {
  ses.restore();
});

describe('sending with SES SendRawEmail', () => {
  it('passes Source and Destinations explicitly and the composed MIME as RawMessage.Data', async () => {
    ses.on(SendRawEmailCommand).resolves({ MessageId: '0100018f-abc' });

    await mailerIn('eu-west-1').send(acknowledgement);

    const input = sentInput();
    expect(input).toEqual({
      Source: 'servicedesk@example.com',
      Destinations: ['ana.souza@cliente.example', 'ops@cliente.example'],
      RawMessage: { Data: expect.any(Uint8Array) },
    });
    const raw = rawOf(input);
    expect(headerNamed(raw, 'From')).toEqual(['Atende Support <servicedesk@example.com>']);
    expect(headerNamed(raw, 'To')).toEqual(['Ana Souza <ana.souza@cliente.example>']);
    expect(headerNamed(raw, 'Subject')).toEqual(['[Atende #1042] Printer offline since Monday']);
    expect(headerNamed(raw, 'In-Reply-To')).toEqual(['<CAF=abc123@mail.cliente.example>']);
    expect(headerNamed(raw, 'Auto-Submitted')).toEqual(['auto-replied']);
    expect(headerNamed(raw, 'Bcc')).toEqual([]);
  });

  it('names the configuration set when it has one', async () => {
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'm-1' });

    await mailerIn('eu-west-1', 'atende-events').send(acknowledgement);

    expect(sentInput().ConfigurationSetName).toBe('atende-events');
  });

  it.each([
    ['us-east-1', '<0100018f-abc@email.amazonses.com>'],
    ['eu-west-1', '<0100018f-abc@eu-west-1.amazonses.com>'],
    ['sa-east-1', '<0100018f-abc@sa-east-1.amazonses.com>'],
  ])('returns the Message-ID recipients see from SES in %s: %s', async (region, expected) => {
    ses.on(SendRawEmailCommand).resolves({ MessageId: '0100018f-abc' });

    expect(await mailerIn(region).send(acknowledgement)).toEqual({ messageId: expected });
    expect(sesMessageId('0100018f-abc', region)).toBe(expected);
  });

  it('does not call SES for a mail the composer refuses', async () => {
    const error = await failure(
      mailerIn('eu-west-1').send({ ...acknowledgement, headers: { Bcc: 'victim@example.com' } }),
    );

    expect(isAtendeError(error, 'mail.invalidHeader')).toBe(true);
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });
});

describe('SES errors', () => {
  const sesError = (name: string, message: string) =>
    new SESServiceException({
      name,
      message,
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'req-1' },
    });

  it('turns throttling (sending rate or daily quota) into mail.throttled, retryable, keeping the cause', async () => {
    const cause = sesError('Throttling', 'Maximum sending rate exceeded.');
    ses.on(SendRawEmailCommand).rejects(cause);

    const error = await failure(mailerIn('eu-west-1').send(acknowledgement));

    expect(isAtendeError(error, 'mail.throttled')).toBe(true);
    expect(isAtendeError(error) && error.details).toMatchObject({
      sesError: 'Throttling',
      retryable: true,
      requestId: 'req-1',
    });
    expect(isAtendeError(error) && error.cause).toBe(cause);
  });

  it('turns MessageRejected into mail.rejected, not retryable', async () => {
    ses
      .on(SendRawEmailCommand)
      .rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }));

    const error = await failure(mailerIn('eu-west-1').send(acknowledgement));

    expect(isAtendeError(error, 'mail.rejected')).toBe(true);
    expect(isAtendeError(error) && error.details['retryable']).toBe(false);
    expect(isAtendeError(error) && error.cause).toBeInstanceOf(MessageRejected);
  });

  it('turns a paused account into mail.sendingPaused', async () => {
    ses.on(SendRawEmailCommand).rejects(new AccountSendingPausedException({ message: 'paused', $metadata: {} }));

    expect(isAtendeError(await failure(mailerIn('eu-west-1').send(acknowledgement)), 'mail.sendingPaused')).toBe(true);
  });

  it('rethrows anything else as it came', async () => {
    const cause = sesError('ConfigurationSetDoesNotExistException', 'no such set');
    ses.on(SendRawEmailCommand).rejects(cause);
    const network = new Error('socket hang up');

    expect(await failure(mailerIn('eu-west-1').send(acknowledgement))).toBe(cause);
    ses.on(SendRawEmailCommand).rejects(network);
    expect(await failure(mailerIn('eu-west-1').send(acknowledgement))).toBe(network);
  });
});
