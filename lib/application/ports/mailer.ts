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
}

export interface SentMail {
  /**
   * The Message-ID as the recipient sees it, with angle brackets. On SES this is the id SES
   * assigned (`<id@email.amazonses.com>`), since SES replaces any Message-ID we set.
   */
  readonly messageId: string;
}

/** Sends mail. One implementation per environment: SES SendRawEmail on AWS, the SES emulator locally. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
}
