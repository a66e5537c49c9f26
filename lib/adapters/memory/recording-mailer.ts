import type { AttachedFile, Mailer, OutgoingMail, SentMail } from '../../application/ports/mailer.ts';

/** A mailer that keeps what it is asked to send, for use-case tests; it can be told to fail. */
export class RecordingMailer implements Mailer {
  readonly sent: (OutgoingMail & { messageId: string; files: readonly AttachedFile[] })[] = [];
  private failures: Error[] = [];
  private counter = 0;

  /** `idDomain`: the Message-IDs' right-hand side; mailers sharing one store need their own. */
  constructor(private readonly idDomain = 'mailer.test') {}

  async send(mail: OutgoingMail, files: readonly AttachedFile[] = []): Promise<SentMail> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.counter += 1;
    const messageId = `<sent-${this.counter}@${this.idDomain}>`;
    this.sent.push({ ...mail, messageId, files });
    return { messageId };
  }

  /** The next `count` sends fail with `error`. */
  failNext(error: Error, count = 1): void {
    this.failures.push(...Array.from({ length: count }, () => error));
  }
}
