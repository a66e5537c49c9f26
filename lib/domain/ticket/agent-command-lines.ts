import { COMMAND_BY_NAME, foldWord } from './agent-command-words.ts';

/**
 * How one line of an agent's mail is read before its words are: what shows nothing is dropped,
 * a command line is told from text, and a note's lead (`Internal:`) is found. Hostile and
 * careless mail both pass through here: each rule names what got past an earlier version.
 */

/**
 * `#` (or the full-width `＃`), the name, and the rest of the line, after any white space
 * (no-break and ideographic spaces too: mail clients indent with them). One pass: `+` then
 * `.*` never backtracks. Read on a line's `commandView`.
 */
const COMMAND_LINE = /^\s*[#\uff03]([\p{L}\p{M}]+)(.*)$/su;
/**
 * `# note`: a command's name after spaces. Read as the command (a `# note` relayed as text
 * reached the customer), while `# Steps` and other headings that name no command stay text.
 */
const SPACED_COMMAND_LINE = /^\s*[#\uff03][ \t\u00a0\u3000]+([\p{L}\p{M}]+)(.*)$/su;

/** The name and the rest of a command line, or null for a line of text. */
export function commandLine(line: string): { readonly name: string; readonly rest: string } | null {
  const match = COMMAND_LINE.exec(line);
  if (match) return { name: match[1]!, rest: match[2]! };
  const spaced = SPACED_COMMAND_LINE.exec(line);
  return spaced && COMMAND_BY_NAME.has(foldWord(spaced[1]!)) ? { name: spaced[1]!, rest: spaced[2]! } : null;
}
/**
 * Characters that show nothing (zero-width spaces and joiners, bidi marks and embeddings, the
 * byte-order mark, soft hyphens: Unicode's format characters). Pasted text and right-to-left
 * clients put them in lines; a `\u200b#note` the reader did not see as a command reached the
 * customer. Only the reader drops them: the text relayed or noted is the agent's as written.
 */
const INVISIBLE = /\p{Cf}+/gu;
export const commandView = (line: string): string => line.replace(INVISIBLE, '');
/** A lead is short: a longer start of a line before a colon is no `Internal:`. */
const MAX_LEAD_CHARS = 20;

/** The arguments after the name: an optional colon, spaces around it dropped (string steps, no regex). */
export function argumentOf(rest: string): string {
  const trimmed = rest.trim();
  return (trimmed.startsWith(':') ? trimmed.slice(1) : trimmed).trim();
}

/** `[Internal]` or `(Internal)` at the start of a line: a lead in brackets needs no colon. */
const BRACKETED_LEAD = new RegExp(`^[[(]([^\\])]{1,${MAX_LEAD_CHARS}})[\\])]`, 'u');
/** The colon after a lead, ASCII or full-width (`Internal：`, as CJK input methods type it). */
const LEAD_COLON = /[:\uff1a]/u;

/**
 * The words after `Internal:` when the line starts with one of `leads` and its colon (or with
 * one in brackets); null otherwise. Emphasis around the lead does not count: Gmail's text part
 * writes a bold `Internal:` as `*Internal:*`, and that note reached the customer.
 */
export function noteLead(line: string, leads: readonly string[]): string | null {
  const start = line.trimStart();
  let lead: string;
  let rest: string;
  const bracketed = BRACKETED_LEAD.exec(start);
  if (bracketed) {
    lead = bracketed[1]!;
    rest = start.slice(bracketed[0].length);
  } else {
    const colon = start.slice(0, MAX_LEAD_CHARS + 1).search(LEAD_COLON);
    if (colon < 0) return null;
    lead = start.slice(0, colon);
    rest = start.slice(colon + 1);
  }
  return leads.includes(foldWord(lead.replace(/[*_]/g, ' '))) ? rest.replace(/^[\s*_]+/u, '').trim() : null;
}
