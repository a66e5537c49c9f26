import {
  AccountSuspendedException,
  MessageRejected,
  SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  type SendEmailCommandInput,
  SendingPausedException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SesMailer, sesMessageId } from '../../../lib/adapters/mail/ses-mailer.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { acknowledgement, headerNamed } from './outgoing-mail-fixtures.ts';

// The exact SES v2 SendEmail (raw) requests; SES's answers to them are in test/integration/mail-adapters (moto).
const ses = mockClient(SESv2Client);
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const mailerIn = (region: string, configurationSetName?: string) =>
  new SesMailer({
    client: new SESv2Client({ region, credentials }),
    ...(configurationSetName !== undefined ? { configurationSetName } : {}),
  });

const sentInput = (): SendEmailCommandInput => {
  const calls = ses.commandCalls(SendEmailCommand);
  expect(calls).toHaveLength(1);
  const input = calls[0]?.args[0].input;
  if (input === undefined) throw new Error('no SendEmail call');
  return input;
};

const rawOf = (input: SendEmailCommandInput): Buffer => {
  const data = input.Content?.Raw?.Data;
  if (!(data instanceof Uint8Array)) throw new Error('Content.Raw.Data is not bytes');
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

describe('sending with SES v2 SendEmail, raw', () => {
  it('passes the envelope (FromEmailAddress, Destination) explicitly and the composed MIME as Content.Raw.Data', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: '0100018f-abc' });

    await mailerIn('eu-west-1').send(acknowledgement);

    const input = sentInput();
    expect(input).toEqual({
      FromEmailAddress: 'servicedesk@example.com',
      Destination: { ToAddresses: ['ana.souza@cliente.example'], CcAddresses: ['ops@cliente.example'] },
      Content: { Raw: { Data: expect.any(Uint8Array) } },
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
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });

    await mailerIn('eu-west-1', 'atende-events').send(acknowledgement);

    expect(sentInput().ConfigurationSetName).toBe('atende-events');
  });

  it.each([
    ['us-east-1', '<0100018f-abc@email.amazonses.com>'],
    ['eu-west-1', '<0100018f-abc@eu-west-1.amazonses.com>'],
    ['sa-east-1', '<0100018f-abc@sa-east-1.amazonses.com>'],
  ])('returns the Message-ID recipients see from SES in %s: %s', async (region, expected) => {
    ses.on(SendEmailCommand).resolves({ MessageId: '0100018f-abc' });

    expect(await mailerIn(region).send(acknowledgement)).toEqual({ messageId: expected });
    expect(sesMessageId('0100018f-abc', region)).toBe(expected);
  });

  it('does not call SES for a mail the composer refuses', async () => {
    const error = await failure(
      mailerIn('eu-west-1').send({ ...acknowledgement, headers: { Bcc: 'victim@example.com' } }),
    );

    expect(isAtendeError(error, 'mail.invalidHeader')).toBe(true);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});

describe('SES errors', () => {
  const sesError = (name: string, message: string) =>
    new SESv2ServiceException({
      name,
      message,
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'req-1' },
    });

  it('turns throttling (sending rate or daily quota) into mail.throttled, retryable, keeping the cause', async () => {
    const cause = sesError('TooManyRequestsException', 'Maximum sending rate exceeded.');
    ses.on(SendEmailCommand).rejects(cause);

    const error = await failure(mailerIn('eu-west-1').send(acknowledgement));

    expect(isAtendeError(error, 'mail.throttled')).toBe(true);
    expect(isAtendeError(error) && error.details).toMatchObject({
      sesError: 'TooManyRequestsException',
      retryable: true,
      requestId: 'req-1',
    });
    expect(isAtendeError(error) && error.cause).toBe(cause);
  });

  it('turns MessageRejected into mail.rejected, not retryable', async () => {
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }));

    const error = await failure(mailerIn('eu-west-1').send(acknowledgement));

    expect(isAtendeError(error, 'mail.rejected')).toBe(true);
    expect(isAtendeError(error) && error.details['retryable']).toBe(false);
    expect(isAtendeError(error) && error.cause).toBeInstanceOf(MessageRejected);
  });

  it.each([
    ['a paused account', new SendingPausedException({ message: 'paused', $metadata: {} })],
    ['a suspended account', new AccountSuspendedException({ message: 'suspended', $metadata: {} })],
  ])('turns %s into mail.sendingPaused', async (_, cause) => {
    ses.on(SendEmailCommand).rejects(cause);

    expect(isAtendeError(await failure(mailerIn('eu-west-1').send(acknowledgement)), 'mail.sendingPaused')).toBe(true);
  });

  it('turns the daily quota (LimitExceededException) into mail.throttled', async () => {
    ses.on(SendEmailCommand).rejects(sesError('LimitExceededException', 'Daily message quota exceeded.'));

    expect(isAtendeError(await failure(mailerIn('eu-west-1').send(acknowledgement)), 'mail.throttled')).toBe(true);
  });

  it('rethrows anything else as it came', async () => {
    const cause = sesError('NotFoundException', 'no such configuration set');
    ses.on(SendEmailCommand).rejects(cause);
    const network = new Error('socket hang up');

    expect(await failure(mailerIn('eu-west-1').send(acknowledgement))).toBe(cause);
    ses.on(SendEmailCommand).rejects(network);
    expect(await failure(mailerIn('eu-west-1').send(acknowledgement))).toBe(network);
  });
});
