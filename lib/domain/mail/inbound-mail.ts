/**
 * An inbound e-mail as the rest of the pipeline sees it, after `parseInboundMail`.
 * Addresses are lower-cased; message ids keep their angle brackets, as they appear in
 * In-Reply-To and References (`<abc@example.com>`), so ids from any header compare equal.
 */

/**
 * One mailbox, as the header wrote it. `address` is lower-cased; a local-only address
 * (`mailer-daemon`) has no "@"; a quoted local part keeps its quotes (`"john doe"@example.com`),
 * so it reads as the address it is. Not every address can be mailed: see `isMailableAddress`.
 */
export interface MailAddress {
  readonly address: string;
  /** The display name, RFC 2047-decoded and without control characters, or null when there is none. */
  readonly name: string | null;
}

/**
 * Which header the sender came from. RFC 5322 §3.6.2 makes From the author; when it is
 * missing, empty or unparseable the parser falls back to Sender, then Reply-To, then
 * Return-Path, and says so here, so that callers can decide how far to trust it.
 */
export type SenderSource = 'from' | 'sender' | 'reply-to' | 'return-path' | 'none';

/** Where `text` came from: a text/plain part, a conversion of the HTML, or nothing. */
export type TextSource = 'plain' | 'html' | 'none';

/** What is known about an attachment; its bytes stay in the raw message. */
export interface InboundAttachment {
  readonly filename: string | null;
  /** Lower-cased MIME type, e.g. `application/pdf`. */
  readonly contentType: string;
  /** Decoded size in bytes. */
  readonly size: number;
  /** Shown in the body rather than offered as a file: `Content-Disposition: inline` or a `cid:` image of the HTML. */
  readonly inline: boolean;
  /** The Content-ID without angle brackets (what a `cid:` URL names), or null. */
  readonly contentId: string | null;
  /** SHA-256 of the decoded content, hex. */
  readonly sha256: string;
}

export interface InboundMail {
  /** The author (see `fromSource`); null when no header names one. */
  readonly from: MailAddress | null;
  readonly fromSource: SenderSource;
  /**
   * How many mailboxes the From fields name together: RFC 5322 §3.6.2 allows several authors
   * (and a broken mail several From fields); `from` is the first of them.
   */
  readonly authorCount: number;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly replyTo: readonly MailAddress[];
  /**
   * The envelope sender from Return-Path, lower-cased, without angle brackets; `''` for the
   * null reverse-path `<>` that bounces carry (RFC 5321 §4.5.5); null when there is no Return-Path.
   */
  readonly returnPath: string | null;
  /**
   * The subject as people read it, trimmed; `''` when there is none. Encoded words are decoded
   * (RFC 2047), 8-bit text without a charset is read as UTF-8, else Windows-1252, control
   * characters are removed and tabs and line breaks are spaces.
   */
  readonly subject: string;
  readonly messageId: string | null;
  readonly inReplyTo: string | null;
  /** Message ids from References, oldest first. */
  readonly references: readonly string[];
  /** The Date header as an ISO-8601 instant in UTC; null when missing or unreadable (never "now"). */
  readonly date: string | null;
  /** The plain-text body; derived from the HTML when the message has only HTML. */
  readonly text: string;
  readonly textSource: TextSource;
  /**
   * The HTML body as written (at most `maxHtmlChars` characters), or null when the message has
   * none. Kept beside `text` for what needs the markup: finding quoted history in an agent's reply.
   */
  readonly html: string | null;
  /** True when the text was cut at the text limit (the raw message keeps all of it). */
  readonly textTruncated: boolean;
  /** Attachment metadata, at most the attachment limit; `attachmentCount` says how many there were. */
  readonly attachments: readonly InboundAttachment[];
  readonly attachmentCount: number;
  /**
   * The top-level header fields by lower-cased name, in the order they appear (the newest
   * Received first). Values are unfolded (RFC 5322 §2.2.3) and trimmed, 8-bit text read as
   * the subject's is, but not otherwise decoded or cleaned: encoded words and control
   * characters stay as they are.
   */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** Size of the raw message in bytes, as received. */
  readonly rawSize: number;
}
