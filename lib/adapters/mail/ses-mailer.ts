import {
  type SESClient,
  SESServiceException,
  SendRawEmailCommand,
  type SendRawEmailCommandInput,
} from '@aws-sdk/client-ses';
import type { AttachedFile, Mailer, OutgoingMail, SentMail } from '../../application/ports/mailer.ts';
import { AtendeError, type ErrorCode } from '../../domain/atende-error.ts';
import { composeMime, recipientsOf } from './mime-composer.ts';

export interface SesMailerOptions {
  /** An SES (v1 API) client; its region decides the Message-ID domain. */
  readonly client: SESClient;
  /** A configuration set to publish sending events (bounces, complaints) to. */
  readonly configurationSetName?: string;
}

/**
 * The Message-ID a recipient sees on mail SES sent: SES replaces ours with
 * `<MessageId@<region>.amazonses.com>`, or `<MessageId@email.amazonses.com>` in us-east-1.
 * Replies quote it in In-Reply-To, so this is the id to store.
 */
export const sesMessageId = (messageId: string, region: string): string =>
  region === 'us-east-1' ? `<${messageId}@email.amazonses.com>` : `<${messageId}@${region}.amazonses.com>`;

/**
 * The SendRawEmail request for a composed message. Source and Destinations are given explicitly
 * so SES does not depend on parsing the headers (Bcc-less, and moto refuses a raw message with
 * a From header and no Source). Source is the bare address: it is the envelope sender, the name
 * is in the From header.
 */
export const sendRawEmailInput = (
  mail: OutgoingMail,
  raw: Uint8Array,
  configurationSetName?: string,
): SendRawEmailCommandInput => ({
  Source: mail.from.address,
  Destinations: recipientsOf(mail),
  RawMessage: { Data: raw },
  ...(configurationSetName !== undefined ? { ConfigurationSetName: configurationSetName } : {}),
});

/** SES v1 error names atende gives a meaning to; everything else is rethrown as it came. */
const TRANSLATED: Readonly<Record<string, { code: ErrorCode; retryable: boolean }>> = {
  // "Maximum sending rate exceeded" and "Daily message quota exceeded" both arrive as Throttling.
  Throttling: { code: 'mail.throttled', retryable: true },
  ThrottlingException: { code: 'mail.throttled', retryable: true },
  // An unverified address in the sandbox, a recipient on the suppression list, a virus …
  MessageRejected: { code: 'mail.rejected', retryable: false },
  MailFromDomainNotVerifiedException: { code: 'mail.rejected', retryable: false },
  AccountSendingPausedException: { code: 'mail.sendingPaused', retryable: false },
  ConfigurationSetSendingPausedException: { code: 'mail.sendingPaused', retryable: false },
};

/** Turns the SES errors atende can act on into AtendeErrors (keeping the SDK error as `cause`); returns others unchanged. */
export const translateSesError = (error: unknown): unknown => {
  if (!(error instanceof SESServiceException)) return error;
  const known = TRANSLATED[error.name];
  if (known === undefined) return error;
  return new AtendeError(known.code, `SES refused the mail: ${error.name}: ${error.message}`, {
    cause: error,
    details: { sesError: error.name, retryable: known.retryable, requestId: error.$metadata.requestId },
  });
};

/** Sends mail with SES SendRawEmail; the MIME is ours (composeMime), SES only signs and delivers it. */
export class SesMailer implements Mailer {
  private readonly client: SESClient;
  private readonly configurationSetName: string | undefined;

  constructor(options: SesMailerOptions) {
    this.client = options.client;
    this.configurationSetName = options.configurationSetName;
  }

  async send(mail: OutgoingMail, files: readonly AttachedFile[] = []): Promise<SentMail> {
    const raw = await composeMime(mail, { files });
    const region = await this.client.config.region();
    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await this.client.send(
        new SendRawEmailCommand(sendRawEmailInput(mail, raw, this.configurationSetName)),
      ));
    } catch (error) {
      throw translateSesError(error);
    }
    // The API marks MessageId required; an answer without one is not SES.
    if (messageId === undefined || messageId === '') throw new Error('SES answered SendRawEmail without a MessageId');
    return { messageId: sesMessageId(messageId, region) };
  }
}
