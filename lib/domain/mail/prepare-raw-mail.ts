import { AtendeError } from '../atende-error.ts';
import type { MailLimits } from './mail-limits.ts';

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;

/** How far into the message line endings are sampled to tell a CR-only message from a CRLF or LF one. */
const LINE_ENDING_SAMPLE_BYTES = 64 * 1024;

/** A raw message made ready for the MIME parser. */
export interface PreparedRawMail {
  /** The message from its first header line on, with CRLF or LF line endings. */
  readonly bytes: Buffer;
  /** Length of the top-level header block, up to and including the line break before the empty line. */
  readonly headerBytes: number;
}

/**
 * Frames a raw message for parsing, checking sizes before anything reads it:
 * - the raw size against `maxRawBytes` (SES refuses more than 40 MB, so more is not ours);
 * - a UTF-8 byte-order mark (written by Windows editors that saved the .eml) is skipped;
 * - leading blank lines (some Exchange relays prepend them) and an mbox `From ` envelope line
 *   (`From sender date`, kept by mbox exports) are dropped: RFC 5322 §2.1 starts a message
 *   with its header fields, and a parser that meets a blank line first sees no headers at all;
 * - CR-only line endings (classic Mac OS mail) become CRLF: RFC 5322 §2.1 ends lines with CRLF,
 *   and a parser that splits on LF sees the whole message as one header line;
 * - the header block is measured against `maxHeaderBytes` before the MIME parser holds it
 *   in memory as strings.
 * Throws `mail.tooLarge` or `mail.unparseable` (nothing that looks like a message).
 */
export function prepareRawMail(
  raw: Buffer,
  limits: Pick<MailLimits, 'maxRawBytes' | 'maxHeaderBytes'>,
): PreparedRawMail {
  if (raw.length > limits.maxRawBytes) {
    throw new AtendeError(
      'mail.tooLarge',
      `the message has ${raw.length} bytes, more than the ${limits.maxRawBytes} allowed`,
      {
        details: { limit: 'maxRawBytes', allowed: limits.maxRawBytes, actual: raw.length },
      },
    );
  }

  let start = skipBlankLines(raw, hasUtf8Bom(raw) ? 3 : 0);
  if (isMboxEnvelopeLine(raw, start)) start = skipBlankLines(raw, nextLine(raw, start));
  if (start >= raw.length)
    throw new AtendeError('mail.unparseable', 'the message is empty', { details: { rawSize: raw.length } });

  let bytes = raw.subarray(start);
  if (usesCrOnlyLineEndings(bytes)) bytes = crToCrlf(bytes);

  const headerBytes = measureHeaderBlock(bytes, limits.maxHeaderBytes);
  return { bytes, headerBytes };
}

const hasUtf8Bom = (bytes: Buffer): boolean => bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;

/** Offset of the first line at or after `offset` that holds more than spaces and tabs. */
function skipBlankLines(bytes: Buffer, offset: number): number {
  let pos = offset;
  while (pos < bytes.length) {
    let end = pos;
    while (end < bytes.length && (bytes[end] === SP || bytes[end] === HT)) end++;
    if (end >= bytes.length) return bytes.length;
    if (bytes[end] !== CR && bytes[end] !== LF) return pos;
    pos = bytes[end] === CR && bytes[end + 1] === LF ? end + 2 : end + 1;
  }
  return pos;
}

/**
 * The mbox "From_" line: `From ` and the envelope sender. Not to be confused with a From
 * header in the obsolete syntax with white space before the colon (RFC 5322 §4.5, obsolete header fields:
 * `From  : John Doe <jdoe@example>`), which is a header and must stay.
 */
function isMboxEnvelopeLine(bytes: Buffer, offset: number): boolean {
  if (bytes.toString('latin1', offset, offset + 5) !== 'From ') return false;
  let pos = offset + 5;
  while (pos < bytes.length && (bytes[pos] === SP || bytes[pos] === HT)) pos++;
  return bytes[pos] !== 0x3a; // ":"
}

function nextLine(bytes: Buffer, offset: number): number {
  for (let pos = offset; pos < bytes.length; pos++) {
    if (bytes[pos] === LF) return pos + 1;
    if (bytes[pos] === CR) return bytes[pos + 1] === LF ? pos + 2 : pos + 1;
  }
  return bytes.length;
}

/** True when the start of the message breaks lines with bare CRs and never with LF. */
function usesCrOnlyLineEndings(bytes: Buffer): boolean {
  const end = Math.min(bytes.length, LINE_ENDING_SAMPLE_BYTES);
  let bareCr = 0;
  for (let pos = 0; pos < end; pos++) {
    if (bytes[pos] === LF) return false;
    if (bytes[pos] === CR) bareCr++;
  }
  return bareCr > 0;
}

function crToCrlf(bytes: Buffer): Buffer {
  let bareCr = 0;
  for (let pos = 0; pos < bytes.length; pos++) if (bytes[pos] === CR && bytes[pos + 1] !== LF) bareCr++;
  const out = Buffer.allocUnsafe(bytes.length + bareCr);
  let to = 0;
  for (let pos = 0; pos < bytes.length; pos++) {
    const byte = bytes[pos] ?? 0;
    out[to++] = byte;
    if (byte === CR && bytes[pos + 1] !== LF) out[to++] = LF;
  }
  return out;
}

/**
 * Length of the header block: up to the first empty line (RFC 5322 §2.1), looking no further
 * than the limit. A message without an empty line is all header.
 */
function measureHeaderBlock(bytes: Buffer, maxHeaderBytes: number): number {
  const window = bytes.subarray(0, Math.min(bytes.length, maxHeaderBytes + 3));
  const candidates = [window.indexOf('\n\n'), window.indexOf('\n\r\n')].filter((index) => index >= 0);
  const headerBytes = candidates.length > 0 ? Math.min(...candidates) + 1 : bytes.length;
  if (headerBytes > maxHeaderBytes) {
    throw new AtendeError('mail.tooLarge', `the header block is larger than the ${maxHeaderBytes} bytes allowed`, {
      details: { limit: 'maxHeaderBytes', allowed: maxHeaderBytes },
    });
  }
  return headerBytes;
}
