import libmime from 'libmime';

/**
 * Characters a stored header text must not hold: C0 controls, DEL and C1 controls (U+0080 to
 * U+009F, which Windows-1252 gives for the five bytes it leaves undefined). They reach logs,
 * terminals and outgoing headers: NUL truncates C strings, ESC starts terminal sequences, and
 * CR or LF in a header is header injection.
 */
const CONTROL = /\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Tabs and line breaks (CRLF, NEL, LINE and PARAGRAPH SEPARATOR included) separate words: they become spaces. */
const SEPARATOR = /^(?:\r\n|[\t\n\v\f\r\u0085\u2028\u2029])$/;

/** `text` without control characters, each tab or line break replaced by one space. */
export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL, (char) => (SEPARATOR.test(char) ? ' ' : ''));
}

/**
 * A header value as people read it: RFC 2047 encoded words decoded (by libmime, the decoder
 * mailparser itself uses, so every charset it knows is known here; a charset it does not
 * know leaves the word as written), then control characters removed.
 */
export function readableHeaderText(value: string): string {
  return withoutControlCharacters(value.includes('=?') ? libmime.decodeWords(value) : value);
}
