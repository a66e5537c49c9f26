import MailComposer from 'nodemailer/lib/mail-composer';
import type { AttachedFile, MailAddress, OutgoingMail } from '../../application/ports/mailer.ts';
import type { MimeComposer } from '../../application/ports/mime-composer.ts';
import { AtendeError } from '../../domain/atende-error.ts';
import { isMailableAddress } from '../../domain/mail/mailable-address.ts';

export interface ComposeOptions {
  /** Message-ID with angle brackets; nodemailer makes one up from the sender's domain when absent (SES replaces it anyway). */
  readonly messageId?: string;
  /** The Date header; now when absent (SES replaces it anyway). */
  readonly date?: Date;
  /** Files to attach (the bytes of `mail.attachments`, loaded by the caller). */
  readonly files?: readonly AttachedFile[];
}

/** RFC 2045 §5.1: type "/" subtype, tokens only. A declared type that is not one goes as application/octet-stream. */
const CONTENT_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;

/**
 * A file as MailComposer attaches it: the name one line (nodemailer encodes it per RFC 2231), a
 * plain type, base64, and as an attachment (never inline: a file from a stranger is not rendered
 * into our mail's body).
 */
const attachmentOf = (file: AttachedFile) => ({
  filename: oneLine(file.filename) || 'attachment',
  content: Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength),
  contentType: CONTENT_TYPE.test(file.contentType.trim())
    ? file.contentType.trim().toLowerCase()
    : 'application/octet-stream',
  contentDisposition: 'attachment' as const,
  encoding: 'base64',
});

/**
 * Headers atende composes itself or that change how the message is delivered or parsed:
 * an "extra" header of one of these names would add a recipient (Bcc), hide the sender,
 * break the MIME structure or the threading. Lower case.
 */
const RESERVED_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'return-path',
  'received',
  'auto-submitted',
  'x-auto-response-suppress',
]);

/** RFC 5322 §3.6.8: a field name is printable US-ASCII except the colon; anything else could end the header or start another. */
const FIELD_NAME = /^[!-9;-~]+$/;

/** RFC 5322 §3.6.4 msg-id: "<" id ">" with no white space or brackets inside. */
const MESSAGE_ID = /^<[!-;=?-~]+>$/;

/** C0 controls and DEL: a CR or LF in a header value would end the header (header injection). */
const CONTROL = /[\x00-\x1f\x7f]+/g;

/** What atende puts into a header from text it does not control: one line, no control characters. */
const oneLine = (text: string): string => text.replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();

const checkedAddress = (address: MailAddress, field: string): { name: string; address: string } => {
  // The last line of defence: nothing reaches MIME that could carry a second address or a header.
  if (!isMailableAddress(address.address)) {
    throw new AtendeError(
      'mail.invalidAddress',
      `${field} has an address that is not a plain addr-spec: ${JSON.stringify(address.address)}`,
      {
        details: { field, address: address.address },
      },
    );
  }
  // The name is encoded by nodemailer (an RFC 2047 encoded word when not ASCII); line breaks go first so a decoded name is one line too.
  return { name: oneLine(address.name ?? ''), address: address.address };
};

/** Message-IDs that came from other people's mail: a malformed one is left out rather than failing the send (it could not thread anyway). */
const wellFormedIds = (ids: readonly (string | null | undefined)[]): string[] =>
  ids.filter((id): id is string => typeof id === 'string' && MESSAGE_ID.test(id));

/**
 * The headers besides the standard ones that `composeMime` writes for `mail`: RFC 3834
 * `Auto-Submitted` and Microsoft's `X-Auto-Response-Suppress: All` (so Exchange out-of-office
 * replies do not answer our automatic mail and start a loop), then `mail.headers`.
 * Throws `mail.invalidHeader` for a name that is not a plain field name or that atende composes itself.
 */
export const extraHeadersOf = (mail: OutgoingMail): Record<string, string> => {
  const headers: Record<string, string> = {};
  if (mail.autoSubmitted !== undefined) {
    headers['Auto-Submitted'] = mail.autoSubmitted;
    headers['X-Auto-Response-Suppress'] = 'All';
  }
  for (const [name, value] of Object.entries(mail.headers ?? {})) {
    if (!FIELD_NAME.test(name)) {
      throw new AtendeError('mail.invalidHeader', `${JSON.stringify(name)} is not a header field name`, {
        details: { name },
      });
    }
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new AtendeError(
        'mail.invalidHeader',
        `${name} is composed by the mailer and cannot be set as an extra header`,
        { details: { name } },
      );
    }
    headers[name] = oneLine(value);
  }
  return headers;
};

/** Every address the message goes to (To, then Cc), each once: SES's Destinations. */
export const recipientsOf = (mail: OutgoingMail): string[] => [
  ...new Set([...mail.to, ...(mail.cc ?? [])].map((recipient) => recipient.address)),
];

/** The header values `composeMime` writes for `mail`, as a recipient decodes them. */
export interface ComposedHeaders {
  /** One line: control characters (CR, LF …) became spaces. */
  readonly subject: string;
  /** Null when absent or malformed. */
  readonly inReplyTo: string | null;
  /** The well-formed ones, oldest first. */
  readonly references: readonly string[];
  /** See `extraHeadersOf`. */
  readonly extra: Readonly<Record<string, string>>;
}

/**
 * What `composeMime` will write for `mail` besides addresses and bodies, for a record of what
 * was sent (the local outbox). Throws as `composeMime` does for a bad extra header.
 */
export const composedHeadersOf = (mail: OutgoingMail): ComposedHeaders => ({
  subject: oneLine(mail.subject),
  inReplyTo: wellFormedIds([mail.inReplyTo])[0] ?? null,
  references: wellFormedIds(mail.references ?? []),
  extra: extraHeadersOf(mail),
});

/**
 * The raw RFC 5322 message for `mail`, the one composer behind every mailer (SES and the local
 * emulator), built by nodemailer's MailComposer: text and HTML as multipart/alternative (inside
 * multipart/mixed with the files, when `options.files` has some), RFC 2047
 * encoded words for non-ASCII subjects and names, folded lines, and In-Reply-To / References for
 * threading. Customer text (subject, names) is made one line before it reaches a header, so it can
 * never add one. No Bcc header is ever written.
 *
 * Fails with `mail.invalidAddress` (an address that is not a plain addr-spec, no recipient) or
 * `mail.invalidHeader` (an extra header name, or a Message-ID of ours that is malformed).
 */
export const composeMime = async (mail: OutgoingMail, options: ComposeOptions = {}): Promise<Buffer> => {
  const from = checkedAddress(mail.from, 'from');
  const to = mail.to.map((address) => checkedAddress(address, 'to'));
  const cc = (mail.cc ?? []).map((address) => checkedAddress(address, 'cc'));
  const replyTo = (mail.replyTo ?? []).map((address) => checkedAddress(address, 'replyTo'));
  if (to.length + cc.length === 0)
    throw new AtendeError('mail.invalidAddress', 'a mail needs at least one recipient in To or Cc', {
      details: { field: 'to' },
    });
  if (options.messageId !== undefined && !MESSAGE_ID.test(options.messageId)) {
    throw new AtendeError('mail.invalidHeader', `${JSON.stringify(options.messageId)} is not a Message-ID`, {
      details: { name: 'Message-ID' },
    });
  }
  const headers = composedHeadersOf(mail);
  const composer = new MailComposer({
    from,
    to,
    ...(cc.length > 0 ? { cc } : {}),
    ...(replyTo.length > 0 ? { replyTo } : {}),
    subject: headers.subject,
    text: mail.text,
    ...(mail.html !== undefined ? { html: mail.html } : {}),
    ...(headers.inReplyTo !== null ? { inReplyTo: headers.inReplyTo } : {}),
    ...(headers.references.length > 0 ? { references: [...headers.references] } : {}),
    headers: { ...headers.extra },
    ...(options.messageId !== undefined ? { messageId: options.messageId } : {}),
    ...(options.date !== undefined ? { date: options.date } : {}),
    ...((options.files ?? []).length > 0 ? { attachments: (options.files ?? []).map(attachmentOf) } : {}),
    // Content is always a string here; never let an option make nodemailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
};

/** The MimeComposer port (a web-form post kept as raw mail) over `composeMime`. */
export const mimeComposer: MimeComposer = {
  compose: (mail, options) => composeMime(mail, options),
};
