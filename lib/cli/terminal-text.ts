/**
 * Text from outside (a customer's subject and words, addresses, anything a mail carried) made
 * safe to print on a terminal, for every human-readable output of the CLI. `--json` output is
 * never passed through here: JSON already escapes what it must, and machines read it.
 *
 * The attacks:
 * - C0 and C1 controls and DEL: ESC and the 8-bit CSI (U+009B) start escape sequences that move
 *   the cursor, clear the screen, rewrite what was printed, set the window title or, on some
 *   terminals, write the clipboard (OSC 52); BEL rings; a lone CR returns to the start of the
 *   line so what follows overwrites what came before ("ok\rPWNED").
 * - Bidirectional controls (Trojan Source, CVE-2021-42574): embeddings and overrides
 *   (U+202A–U+202E), isolates (U+2066–U+2069) and the marks U+200E, U+200F, U+061C reorder
 *   the text around them, so what is shown is not what was written.
 * - Characters that break or hide lines: U+2028/U+2029 (some terminals start a new line, which
 *   forges a row of a table), the interlinear annotation controls U+FFF9–U+FFFB and the
 *   deprecated format controls U+206A–U+206F; and lone surrogates, which are not text at all.
 *
 * Each is shown as a visible escape (`\x1b`, `\u202e`), so an agent sees that it was there.
 * Zero-width joiners and non-joiners stay: emoji sequences and several scripts (Persian,
 * Indic) need them, and they reorder nothing. A backslash stays as it is: a customer who types
 * `\x1b` only makes text that looks like an escape, which is harmless.
 * One regular expression pass or one loop over the text: linear in its length.
 */

const UNSAFE_CLASS =
  '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u206f\\ufff9-\\ufffb\\ud800-\\udfff';

/** One character that must not reach a terminal (with the `u` flag a paired surrogate is one code point and does not match). */
const UNSAFE_CHARACTER = new RegExp(`[${UNSAFE_CLASS}]`, 'u');
/** What a single-line field cannot hold: the unsafe characters, and line feeds and tabs too. */
const LINE_UNSAFE = new RegExp(`[${UNSAFE_CLASS}\\t\\n]`, 'gu');
/** Whether a text needs the character loop at all (most do not). */
const TEXT_NEEDS_WORK = new RegExp(`[${UNSAFE_CLASS}\\t]`, 'u');

/** Columns between tab stops, as terminals and `expand(1)` have them. */
const TAB_WIDTH = 8;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' };

/** `\n`, `\r`, `\x1b` up to U+00FF, `\u202e` above. */
export function visibleEscape(character: string): string {
  const named = NAMED_ESCAPES[character];
  if (named !== undefined) return named;
  const code = character.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A value printed on one line (a subject, an address, a table cell): every unsafe character and
 * every line break escaped, so it cannot end its line or forge another; a tab becomes a space.
 */
export const terminalLine = (text: string): string =>
  text.replace(LINE_UNSAFE, (character) => (character === '\t' ? ' ' : visibleEscape(character)));

/**
 * A text printed as lines (a message's words): line breaks stay (CRLF becomes LF), tabs become
 * spaces up to the next tab stop, every other unsafe character (a lone CR too) is escaped.
 */
export function terminalText(text: string): string {
  const lines = text.replace(/\r\n/g, '\n');
  if (!TEXT_NEEDS_WORK.test(lines)) return lines;
  const shown: string[] = [];
  let column = 0;
  for (const character of lines) {
    if (character === '\n') {
      shown.push(character);
      column = 0;
    } else if (character === '\t') {
      const spaces = TAB_WIDTH - (column % TAB_WIDTH);
      shown.push(' '.repeat(spaces));
      column += spaces;
    } else {
      const visible = UNSAFE_CHARACTER.test(character) ? visibleEscape(character) : character;
      shown.push(visible);
      column += visible.length;
    }
  }
  return shown.join('');
}
