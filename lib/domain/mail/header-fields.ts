import { AtendeError } from '../atende-error.ts';
import type { MailLimits } from './mail-limits.ts';

/** One header field as written: lower-cased name, unfolded and trimmed value, not RFC 2047-decoded. */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * What Windows-1252 makes of the bytes 0x80 to 0x9F (WHATWG Encoding, index-windows-1252);
 * the five it leaves undefined stay C1 controls. Spelled out because Node's
 * `TextDecoder('windows-1252')` decodes these bytes as Latin-1 since 20.18.3 and 22.13.0
 * (nodejs/node#60888): `\x93Olá\x94` would keep two C1 controls instead of its quotes.
 */
const WINDOWS_1252_0X80 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Reads the header fields of a header block by hand, independently of the MIME parser,
 * because the parser drops what it cannot read and the pipeline still needs it:
 * - a field name is printable ASCII but the colon (RFC 5322 §2.2); white space before the
 *   colon is the obsolete syntax of RFC 5322 §4.5 (`From  : …`) and is accepted;
 * - a line starting with white space continues the previous field and is unfolded by
 *   removing the line break (RFC 5322 §2.2.3); the first line of the block has nothing to
 *   continue, so its white space is dropped (` From: …`, as the MIME parser reads it too);
 *   a continuation after a line without a colon is skipped with it, as garbage;
 * - each value is decoded on its own (see `decodeHeaderBytes`), so that one Latin-1 field
 *   does not turn the UTF-8 of the others into mojibake;
 * - more than `maxHeaderFields` fields is refused (`mail.tooLarge`) before any is kept.
 * One pass over the bytes: no regular expression sees a whole line.
 */
export function readHeaderFields(block: Buffer, limits: Pick<MailLimits, 'maxHeaderFields'>): HeaderField[] {
  const fields: HeaderField[] = [];
  let name: string | null = null;
  let parts: Buffer[] = [];
  const flush = () => {
    if (name === null) return;
    if (fields.length === limits.maxHeaderFields) {
      throw new AtendeError(
        'mail.tooLarge',
        `the header block has more than the ${limits.maxHeaderFields} fields allowed`,
        { details: { limit: 'maxHeaderFields', allowed: limits.maxHeaderFields } },
      );
    }
    const bytes = parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts);
    fields.push({ name, value: decodeHeaderBytes(bytes).trim() });
    name = null;
    parts = [];
  };

  let pos = 0;
  let firstLine = true;
  while (pos < block.length) {
    const lineFeed = block.indexOf(LF, pos);
    const next = lineFeed < 0 ? block.length : lineFeed + 1;
    const end = lineFeed < 0 ? block.length : lineFeed > pos && block[lineFeed - 1] === CR ? lineFeed - 1 : lineFeed;
    let line = block.subarray(pos, end);
    pos = next;
    if (line.length === 0) continue;
    if (firstLine) line = line.subarray(leadingWhiteSpace(line));
    firstLine = false;
    if (line[0] === SP || line[0] === HT) {
      if (name !== null) parts.push(line);
      continue;
    }
    flush();
    const colon = fieldNameEnd(line);
    if (colon < 0) continue;
    name = line.toString('latin1', 0, nameLength(line, colon)).toLowerCase();
    parts = [line.subarray(colon + 1)];
  }
  flush();
  return fields;
}

function leadingWhiteSpace(line: Buffer): number {
  let pos = 0;
  while (pos < line.length && (line[pos] === SP || line[pos] === HT)) pos++;
  return pos;
}

/** Offset of the colon that ends a field name (printable ASCII but ":", then optional white space), or -1. */
function fieldNameEnd(line: Buffer): number {
  let pos = 0;
  while (pos < line.length && line[pos] !== COLON && (line[pos] ?? 0) > SP && (line[pos] ?? 0) < 0x7f) pos++;
  if (pos === 0) return -1;
  while (pos < line.length && (line[pos] === SP || line[pos] === HT)) pos++;
  return line[pos] === COLON ? pos : -1;
}

/** Length of the field name before the colon at `colon`, without the obsolete white space. */
function nameLength(line: Buffer, colon: number): number {
  let end = colon;
  while (end > 0 && (line[end - 1] === SP || line[end - 1] === HT)) end--;
  return end;
}

/** Groups fields by name, keeping their order; a Map, so that a field named `__proto__` is just a field. */
export function headerMap(fields: readonly HeaderField[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const field of fields) {
    const values = map.get(field.name);
    if (values) values.push(field.value);
    else map.set(field.name, [field.value]);
  }
  return map;
}

/**
 * The text of a header value's bytes. 8-bit bytes in a header have no declared charset
 * (RFC 2047 encoded words are the declared way, and stay as they are here): RFC 6532 makes
 * them UTF-8, and older mailers wrote their local charset, most often Latin-1. So the value
 * is read as UTF-8 when it is valid UTF-8, else as Windows-1252, the superset of Latin-1 that
 * mail clients and the WHATWG Encoding standard read "Latin-1" as; no byte is lost or becomes
 * U+FFFD (which is how `Olá` used to be stored as `Ol�`).
 */
export function decodeHeaderBytes(bytes: Buffer): string {
  let ascii = true;
  for (let pos = 0; pos < bytes.length && ascii; pos++) ascii = (bytes[pos] ?? 0) < 0x80;
  if (ascii) return bytes.toString('latin1');
  try {
    return strictUtf8.decode(bytes);
  } catch (error) {
    // A fatal decoder throws a TypeError on the first byte that is not UTF-8.
    if (!(error instanceof TypeError)) throw error;
    return bytes
      .toString('latin1')
      .replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_0X80.charAt(char.charCodeAt(0) - 0x80));
  }
}
