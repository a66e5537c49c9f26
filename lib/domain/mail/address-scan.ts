/**
 * Tolerant readers for what the address parser (address-header.ts) does not read as an
 * address: a bare local part with a comment, as mailer daemons write it
 * (`MAILER-DAEMON (Mail Delivery System)`), the null reverse-path `<>`, and message ids.
 * Each is one pass or an anchored pattern: these values come from anyone, up to the
 * header limit in length.
 */

import { withoutControlCharacters } from './header-text.ts';

const MAX_LOCAL_PART_LENGTH = 64; // RFC 5321 §4.5.3.1.1
const MAX_MESSAGE_ID_LENGTH = 998; // RFC 5322 §2.1.1: a line, and so an id, is at most 998 characters

/** Removes RFC 5322 §3.2.2 comments (nested parentheses), leaving quoted strings alone. */
export function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (char === '\\' && index + 1 < value.length) {
      if (depth === 0) out += char + value[index + 1];
      index++;
      continue;
    }
    if (depth === 0 && char === '"') quoted = !quoted;
    if (!quoted && char === '(') {
      depth++;
      continue;
    }
    if (!quoted && char === ')' && depth > 0) {
      depth--;
      continue;
    }
    if (depth === 0) out += char;
  }
  return out;
}

/**
 * The local part a value consists of, lower-cased, when it is nothing else once comments are
 * removed, bare or in angle brackets (`MAILER-DAEMON (Mail Delivery System)`, `<MAILER-DAEMON>`
 * → `mailer-daemon`); null otherwise.
 */
export function scanBareLocalPart(value: string): string | null {
  const plain = stripComments(value).trim();
  const bare = plain.startsWith('<') && plain.endsWith('>') ? plain.slice(1, -1).trim() : plain;
  if (bare.length > MAX_LOCAL_PART_LENGTH || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(bare)) return null;
  return bare.toLowerCase();
}

/**
 * Whether a Return-Path names the null reverse-path `<>` of a bounce (RFC 5321 §4.5.5):
 * its first angle brackets, comments removed, hold nothing but white space.
 */
export function isNullReversePath(value: string): boolean {
  const plain = stripComments(value);
  const open = plain.indexOf('<');
  const close = open < 0 ? -1 : plain.indexOf('>', open);
  return close >= 0 && plain.slice(open + 1, close).trim() === '';
}

/**
 * Message ids in a Message-ID, In-Reply-To or References value, each as `<id-left@id-right>`
 * (RFC 5322 §3.6.4). Comments and the white space the obsolete syntax allows are dropped;
 * a lone id written without brackets is accepted, since some mailers write it so. Control
 * characters are removed as from every header text that is stored (an id is stored on its
 * ticket, indexed and shown).
 */
export function scanMessageIds(value: string): string[] {
  const plain = withoutControlCharacters(stripComments(value));
  const ids: string[] = [];
  for (const match of plain.matchAll(/<([^<>]*)>/g)) {
    const id = (match[1] ?? '').replace(/\s+/g, '');
    if (id !== '' && id.length <= MAX_MESSAGE_ID_LENGTH) ids.push(`<${id}>`);
  }
  if (ids.length > 0) return ids;
  const bare = plain.trim();
  // An "@" with something on both sides and no white space or angle bracket anywhere. Tested
  // piece by piece: /^[^\s<>]+@[^\s<>]+$/ backtracks over every "@" of a long run of them.
  const isBareId = bare.length <= MAX_MESSAGE_ID_LENGTH && !/[\s<>]/.test(bare) && bare.slice(1, -1).includes('@');
  return isBareId ? [`<${bare}>`] : [];
}
