import type { AttachedFile, OutgoingMail } from './mailer.ts';

/**
 * Composes a raw RFC 5322 message (nodemailer's MailComposer behind every carrier): a web-form
 * post with files is kept as raw mail, so its files are stored and forwarded as a mail's are.
 */
export interface MimeComposer {
  /** The message for `mail` with `files` attached (each base64, as an attachment), dated `date`. */
  compose(
    mail: OutgoingMail,
    options: { readonly files: readonly AttachedFile[]; readonly date: Date },
  ): Promise<Buffer>;
}
