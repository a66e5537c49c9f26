/** An address with an optional display name. */
export interface MailAddress {
  readonly address: string;
  readonly name?: string | null;
}

/**
 * A mail atende sends (acknowledgement, agent notification, relay, escalation …).
 * The mailer composes the MIME itself; nothing here is pre-encoded, so customer text
 * in a subject or name can never inject a header.
 */
export interface OutgoingMail {
  readonly from: MailAddress;
  readonly to: readonly MailAddress[];
  readonly cc?: readonly MailAddress[];
  readonly replyTo?: readonly MailAddress[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** Message-ID (with angle brackets) this mail answers. */
  readonly inReplyTo?: string | null;
  /** The thread so far, oldest first, with angle brackets. */
  readonly references?: readonly string[];
  /** RFC 3834 §5: `auto-replied` on acknowledgements, `auto-generated` on notifications; absent on relayed human replies. */
  readonly autoSubmitted?: 'auto-replied' | 'auto-generated';
  /** Extra headers atende sets, e.g. `X-Atende-Ticket`. Names must be plain header names. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Files to attach, by reference to the attachment store: the owed mail waits on a receipt
   * (an item of at most 400 KB), so it never holds the bytes. Settling loads them.
   */
  readonly attachments?: readonly MailAttachmentReference[];
}

/** A stored file a mail attaches. */
export interface MailAttachmentReference {
  /** The attachment store's key (attachment-keys.ts). */
  readonly key: string;
  /** The name the recipient sees; the safe name of the key when null. */
  readonly filename: string | null;
  readonly contentType: string;
  readonly size: number;
}

/** A file's bytes as the mailer writes them into the message. */
export interface AttachedFile {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

export interface SentMail {
  /**
   * The Message-ID as the recipient sees it, with angle brackets. On SES this is the id SES
   * assigned (`<id@email.amazonses.com>`), since SES replaces any Message-ID we set.
   */
  readonly messageId: string;
}

/** Sends mail. One implementation per environment: SES on AWS, the SES emulator locally. */
export interface Mailer {
  /** `files`: the bytes of `mail.attachments`, loaded by the caller, in that order (those that could be). */
  send(mail: OutgoingMail, files?: readonly AttachedFile[]): Promise<SentMail>;
}
