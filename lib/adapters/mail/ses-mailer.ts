import {
  type SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import type { AttachedFile, Mailer, OutgoingMail, SentMail } from '../../application/ports/mailer.ts';
import { AtendeError, type ErrorCode } from '../../domain/atende-error.ts';
import { composeMime } from './mime-composer.ts';

export interface SesMailerOptions {
  /** An SES v2 client; its region decides the Message-ID domain. */
  readonly client: SESv2Client;
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
 * The SES v2 SendEmail request for a composed message, sent raw (`Content.Raw`): v2 takes
 * messages of up to 40 MB where v1's SendRawEmail takes 10, and files grow by a third in base64.
 * The envelope is given explicitly (FromEmailAddress, Destination) so SES does not depend on
 * parsing the headers (Bcc-less); FromEmailAddress is the bare address, the name is in From.
 */
export const sendRawEmailInput = (
  mail: OutgoingMail,
  raw: Uint8Array,
  configurationSetName?: string,
): SendEmailCommandInput => {
  const to = [...new Set(mail.to.map((address) => address.address))];
  const cc = [...new Set((mail.cc ?? []).map((address) => address.address))].filter((address) => !to.includes(address));
  return {
    FromEmailAddress: mail.from.address,
    Destination: { ToAddresses: to, ...(cc.length > 0 ? { CcAddresses: cc } : {}) },
    Content: { Raw: { Data: raw } },
    ...(configurationSetName !== undefined ? { ConfigurationSetName: configurationSetName } : {}),
  };
};

/** SES v2 error names atende gives a meaning to; everything else is rethrown as it came. */
const TRANSLATED: Readonly<Record<string, { code: ErrorCode; retryable: boolean }>> = {
  // The sending rate, and the daily quota (LimitExceeded), pass with time.
  TooManyRequestsException: { code: 'mail.throttled', retryable: true },
  LimitExceededException: { code: 'mail.throttled', retryable: true },
  // An unverified address in the sandbox, a recipient on the suppression list, a virus …
  MessageRejected: { code: 'mail.rejected', retryable: false },
  MailFromDomainNotVerifiedException: { code: 'mail.rejected', retryable: false },
  AccountSuspendedException: { code: 'mail.sendingPaused', retryable: false },
  SendingPausedException: { code: 'mail.sendingPaused', retryable: false },
};

/** Turns the SES errors atende can act on into AtendeErrors (keeping the SDK error as `cause`); returns others unchanged. */
export const translateSesError = (error: unknown): unknown => {
  if (!(error instanceof SESv2ServiceException)) return error;
  const known = TRANSLATED[error.name];
  if (known === undefined) return error;
  return new AtendeError(known.code, `SES refused the mail: ${error.name}: ${error.message}`, {
    cause: error,
    details: { sesError: error.name, retryable: known.retryable, requestId: error.$metadata.requestId },
  });
};

/** Sends mail with SES v2 SendEmail, raw; the MIME is ours (composeMime), SES only signs and delivers it. */
export class SesMailer implements Mailer {
  private readonly client: SESv2Client;
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
        new SendEmailCommand(sendRawEmailInput(mail, raw, this.configurationSetName)),
      ));
    } catch (error) {
      throw translateSesError(error);
    }
    // The API marks MessageId required; an answer without one is not SES.
    if (messageId === undefined || messageId === '') throw new Error('SES answered SendEmail without a MessageId');
    return { messageId: sesMessageId(messageId, region) };
  }
}
