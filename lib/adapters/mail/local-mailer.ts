import { randomUUID } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Clock } from '../../application/ports/clock.ts';
import type { AttachedFile, MailAddress, Mailer, OutgoingMail, SentMail } from '../../application/ports/mailer.ts';
import { composedHeadersOf, composeMime } from './mime-composer.ts';
import { appendOutboxRecord } from './outbox.ts';
import { sendRawEmailInput, translateSesError } from './ses-mailer.ts';

export interface LocalMailerOptions {
  /** The SES emulator, e.g. `http://127.0.0.1:8005` (see startSesEmulator). */
  readonly endpoint: string;
  /** Where outbox.jsonl is kept: the local stack's ATENDE_DATA_DIR. */
  readonly dataDirectory: string;
  /** "Now" for the Date header: the local stack's clock, which `atende clock advance` moves. Default: the system clock. */
  readonly clock?: Clock;
  /** A fresh unique id for each Message-ID's left part; default randomUUID (tests pass a fixed one). */
  readonly newId?: () => string;
}

/** The emulator checks a signature is present, not who signed. */
const EMULATOR_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const recorded = (address: MailAddress) => ({ address: address.address, name: address.name ?? null });

/**
 * The local stack's mailer: the same MIME (composeMime) and the same SES v2 SendEmail request as
 * SesMailer, sent to the SES emulator, plus a line in the data directory's outbox for
 * `atende outbox`.
 *
 * The emulator answers ids like `ses-311269308` and keeps no raw Message-ID header, so unlike SES
 * this mailer sets the Message-ID itself (`<uuid@domain of the sender>`) and returns it: replies
 * in the local stack thread on it as they would on SES's.
 */
export class LocalMailer implements Mailer {
  private readonly client: SESv2Client;
  private readonly dataDirectory: string;
  private readonly clock: Clock;
  private readonly newId: () => string;

  constructor(options: LocalMailerOptions) {
    this.client = new SESv2Client({
      endpoint: options.endpoint,
      region: 'us-east-1',
      credentials: EMULATOR_CREDENTIALS,
      maxAttempts: 2,
    });
    this.dataDirectory = options.dataDirectory;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.newId = options.newId ?? randomUUID;
  }

  async send(mail: OutgoingMail, files: readonly AttachedFile[] = []): Promise<SentMail> {
    const domain = mail.from.address.slice(mail.from.address.lastIndexOf('@') + 1);
    const messageId = `<${this.newId()}@${domain}>`;
    const date = new Date(this.clock.now());
    // composeMime checks the addresses before the Message-ID built from one of them.
    const raw = await composeMime(mail, { messageId, date, files });
    const headers = composedHeadersOf(mail);
    let emulatorId: string | undefined;
    try {
      ({ MessageId: emulatorId } = await this.client.send(new SendEmailCommand(sendRawEmailInput(mail, raw))));
    } catch (error) {
      throw translateSesError(error);
    }
    if (emulatorId === undefined || emulatorId === '')
      throw new Error('the SES emulator answered SendEmail without a MessageId');
    await appendOutboxRecord(this.dataDirectory, {
      messageId,
      emulatorId,
      date: date.toISOString(),
      from: recorded(mail.from),
      to: mail.to.map(recorded),
      cc: (mail.cc ?? []).map(recorded),
      replyTo: (mail.replyTo ?? []).map(recorded),
      subject: headers.subject,
      inReplyTo: headers.inReplyTo,
      references: [...headers.references],
      text: mail.text,
      html: mail.html ?? null,
      headers: { ...headers.extra },
      attachments: files.map((file) => ({
        filename: file.filename,
        contentType: file.contentType,
        size: file.content.byteLength,
      })),
    });
    return { messageId };
  }

  /** Closes the client's connections (a keep-alive socket would hold the emulator's stop). */
  close(): void {
    this.client.destroy();
  }
}
