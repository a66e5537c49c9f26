import { type Attachment, type ParsedMail, simpleParser } from 'mailparser';
import { AtendeError } from '../atende-error.ts';
import { readAuthor, readMailboxes, readReversePath } from './address-header.ts';
import { scanMessageIds, stripComments } from './address-scan.ts';
import { headerMap, readHeaderFields } from './header-fields.ts';
import { readableHeaderText, withoutControlCharacters } from './header-text.ts';
import { htmlToPlainText } from './html-to-plain-text.ts';
import type { InboundAttachment, InboundMail, MailAddress, SenderSource, TextSource } from './inbound-mail.ts';
import { type MailLimits, resolveMailLimits } from './mail-limits.ts';
import { prepareRawMail } from './prepare-raw-mail.ts';

const MAX_FILENAME_LENGTH = 255;

/**
 * Parses a raw RFC 5322 message into an `InboundMail`. Pure computation on the bytes given:
 * no I/O and no clock (an unreadable Date becomes null, not "now").
 *
 * Bad input only ever fails with an AtendeError: `mail.tooLarge` when a limit is exceeded
 * (checked before the MIME parser reads the bytes, or by it as it splits the parts;
 * `details.limit` names the limit), `mail.unparseable` for what cannot be read as mail,
 * `mail.invalidLimits` for limits out of range. Whatever can be read is kept: a message
 * without From, Date or Message-ID, or with broken MIME, still parses.
 */
export async function parseInboundMail(raw: Buffer, limits: Partial<MailLimits> = {}): Promise<InboundMail> {
  const resolved = resolveMailLimits(limits);
  if (!Buffer.isBuffer(raw)) throw new AtendeError('mail.unparseable', 'the raw message must be a Buffer');
  try {
    return await parsePrepared(raw, resolved);
  } catch (error) {
    if (error instanceof AtendeError) throw error;
    // The MIME parser or the HTML converter failed on hostile input: a quarantine reason, not a crash.
    throw new AtendeError(
      'mail.unparseable',
      `the message cannot be parsed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        details: { rawSize: raw.length },
      },
    );
  }
}

async function parsePrepared(raw: Buffer, limits: MailLimits): Promise<InboundMail> {
  const prepared = prepareRawMail(raw, limits);
  // Header fields are read from the bytes here, not from the MIME parser: it turns 8-bit text
  // without a charset into U+FFFD and quoted local parts into other addresses.
  const headers = headerMap(readHeaderFields(prepared.bytes.subarray(0, prepared.headerBytes), limits));
  const first = (name: string): string | undefined => headers.get(name)?.[0];

  const parsed = await splitMime(prepared.bytes, limits);

  const { from, fromSource } = resolveSender(headers);
  const { text, textSource, textTruncated } = bodyText(parsed, limits);
  const attachments = parsed.attachments.slice(0, limits.maxAttachments).map(describeAttachment);
  const returnPathValue = first('return-path');

  return {
    from,
    fromSource,
    authorCount: readMailboxes(headers.get('from') ?? []).length,
    to: readMailboxes(headers.get('to') ?? []),
    cc: readMailboxes(headers.get('cc') ?? []),
    replyTo: readMailboxes(headers.get('reply-to') ?? []),
    returnPath: returnPathValue === undefined ? null : readReversePath(returnPathValue),
    subject: readableHeaderText(first('subject') ?? '').trim(),
    messageId: scanMessageIds(first('message-id') ?? '')[0] ?? null,
    inReplyTo: scanMessageIds(first('in-reply-to') ?? '')[0] ?? null,
    references: unique((headers.get('references') ?? []).flatMap(scanMessageIds)),
    date: parseMailDate(first('date')),
    text,
    textSource,
    html: typeof parsed.html === 'string' && parsed.html !== '' ? parsed.html.slice(0, limits.maxHtmlChars) : null,
    textTruncated,
    attachments,
    attachmentCount: parsed.attachments.length,
    headers,
    rawSize: raw.length,
  };
}

/**
 * The MIME parts of a prepared message, by mailparser with our limits: what parseInboundMail
 * reads, and what extractAttachmentContents reads again to store the files (the same options, so
 * both see the same attachments with the same hashes).
 */
export async function splitMime(bytes: Buffer, limits: MailLimits): Promise<ParsedMail> {
  return simpleParser(bytes, {
    // The text is derived from the HTML below, with limits and options of our own.
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    // Inlining cid: images into the HTML as data: URLs would copy every image into a string.
    keepCidLinks: true,
    checksumAlgo: 'sha256',
    // The MIME splitter's own limits, set from ours so that a refusal names one of them.
    maxHeadSize: limits.maxHeaderBytes,
    maxChildNodes: limits.maxMimeParts,
  }).catch((error: unknown) => {
    throw splitterRefusal(error) ?? error;
  });
}

/**
 * The MIME splitter (mailsplit, inside mailparser) refuses a message past its limits with
 * the code EMAXLEN; only its message tells the two limits apart, so it is matched here and
 * turned into our refusal. A message it words otherwise stays an unparseable message.
 */
const SPLITTER_LIMITS: readonly { readonly message: RegExp; readonly limit: keyof MailLimits }[] = [
  { message: /child nodes/i, limit: 'maxMimeParts' },
  { message: /header size/i, limit: 'maxHeaderBytes' },
];

function splitterRefusal(error: unknown): AtendeError | null {
  if (!(error instanceof Error) || !('code' in error) || error.code !== 'EMAXLEN') return null;
  const limit = SPLITTER_LIMITS.find((candidate) => candidate.message.test(error.message))?.limit;
  if (limit === undefined) return null;
  return new AtendeError('mail.tooLarge', `the MIME structure exceeds ${limit}`, {
    cause: error,
    details: { limit },
  });
}

/**
 * The author: From (RFC 5322 §3.6.2), read tolerantly (obsolete syntax,
 * `MAILER-DAEMON (Mail Delivery System)`), else Sender, Reply-To and Return-Path in turn.
 */
function resolveSender(headers: ReadonlyMap<string, readonly string[]>): {
  from: MailAddress | null;
  fromSource: SenderSource;
} {
  for (const source of ['from', 'sender', 'reply-to'] as const) {
    const value = headers.get(source)?.[0];
    const author = value === undefined ? null : readAuthor(value);
    if (author) return { from: author, fromSource: source };
  }
  // An empty Return-Path (`<>`) is the null reverse-path of a bounce: no sender to name.
  const value = headers.get('return-path')?.[0];
  const returnPath = value === undefined ? null : readReversePath(value);
  if (returnPath) return { from: { address: returnPath, name: null }, fromSource: 'return-path' };
  return { from: null, fromSource: 'none' };
}

function bodyText(
  parsed: ParsedMail,
  limits: MailLimits,
): { text: string; textSource: TextSource; textTruncated: boolean } {
  const plain = parsed.text ?? '';
  let text = '';
  let textSource: TextSource = 'none';
  if (plain.trim() !== '') {
    text = plain;
    textSource = 'plain';
  } else if (typeof parsed.html === 'string' && parsed.html.trim() !== '') {
    // mailparser leaves `text` empty for HTML-only mail here (skipHtmlToText): convert it ourselves.
    text = htmlToPlainText(parsed.html, limits);
    textSource = text === '' ? 'none' : 'html';
  }
  text = text.replace(/\r\n?/g, '\n');
  if (text.length <= limits.maxTextChars) return { text, textSource, textTruncated: false };
  // Do not cut a surrogate pair in half: the stored text must stay valid UTF-16.
  let end = limits.maxTextChars;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { text: text.slice(0, end), textSource, textTruncated: true };
}

/**
 * A sender's file name as a message records it (a mail's part, a web form's file): a file name
 * reaches logs, headers and object keys, so no control characters (CR/LF injection), at most
 * 255 characters; null when nothing is left.
 */
export function recordedFilename(filename: string | null | undefined): string | null {
  const recorded = withoutControlCharacters(filename ?? '')
    .trim()
    .slice(0, MAX_FILENAME_LENGTH);
  return recorded === '' ? null : recorded;
}

function describeAttachment(attachment: Attachment): InboundAttachment {
  return {
    filename: recordedFilename(attachment.filename),
    contentType: attachment.contentType.toLowerCase(),
    size: attachment.size,
    inline: attachment.related === true || attachment.contentDisposition?.toLowerCase() === 'inline',
    contentId: attachment.cid ?? null,
    sha256: attachment.checksum,
  };
}

/**
 * The Date header (RFC 5322 §3.3) as an ISO instant, or null. Comments and the white space
 * the obsolete syntax allows around ":" are removed first (`09(comment):   55  :  06`).
 */
function parseMailDate(value: string | undefined): string | null {
  if (value === undefined) return null;
  // Split and trimmed, not /\s*:\s*/: that pattern rescans a long run of white space from
  // each of its characters, and a Date of 100 KB of spaces took seconds.
  const cleaned = stripComments(value)
    .split(':')
    .map((part) => part.trim())
    .join(':')
    .replace(/\s+/g, ' ');
  const time = Date.parse(cleaned);
  if (Number.isNaN(time)) return null;
  const date = new Date(time);
  const year = date.getUTCFullYear();
  return year < 1970 || year > 9999 ? null : date.toISOString();
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];
