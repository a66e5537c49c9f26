/**
 * Tolerant readers for address and message-id headers, used where the MIME parser gives
 * up: obsolete RFC 822 syntax with comments and white space inside the address
 * (`<jdoe@machine(comment).  example>`, RFC 5322 §4.4), a bare local part with a comment
 * (`MAILER-DAEMON (Mail Delivery System)`), and the null reverse-path `<>`.
 */

const MAX_ADDRESS_LENGTH = 254; // RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its brackets

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
 * The first address in an address header, lower-cased: `''` for the null address `<>`,
 * null when nothing in the value looks like an address.
 */
export function scanFirstAddress(value: string): string | null {
  const plain = stripComments(value);
  const bracketed = /<([^<>]*)>/.exec(plain);
  if (bracketed) {
    // Obsolete syntax allows white space around the dots and "@" (RFC 5322 §4.4).
    const inside = (bracketed[1] ?? '').replace(/\s+/g, '').replace(/^@[^:]*:/, ''); // drop an obsolete source route
    if (inside === '') return '';
    return plausibleAddress(inside);
  }
  const spec = /[^\s<>"(),;:@]+@[^\s<>"(),;:@]+/.exec(plain);
  if (spec) return plausibleAddress(spec[0]);
  // A bare local part, as mailer daemons write it: only when it is the whole value.
  const bare = plain.trim();
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(bare) ? plausibleAddress(bare) : null;
}

function plausibleAddress(candidate: string): string | null {
  const address = candidate.replace(/^["']|["']$/g, '').toLowerCase();
  if (address.length === 0 || address.length > MAX_ADDRESS_LENGTH) return null;
  if (/[\s<>()\\,;]/.test(address)) return null;
  const at = address.lastIndexOf('@');
  if (at === 0 || at === address.length - 1) return null;
  return address;
}

/**
 * Message ids in a Message-ID, In-Reply-To or References value, each as `<id-left@id-right>`
 * (RFC 5322 §3.6.4). Comments and the white space the obsolete syntax allows are dropped;
 * a lone id written without brackets is accepted, since some mailers write it so.
 */
export function scanMessageIds(value: string): string[] {
  const plain = stripComments(value);
  const ids: string[] = [];
  for (const match of plain.matchAll(/<([^<>]*)>/g)) {
    const id = (match[1] ?? '').replace(/\s+/g, '');
    if (id !== '' && id.length <= 998) ids.push(`<${id}>`);
  }
  if (ids.length > 0) return ids;
  const bare = plain.trim();
  return /^[^\s<>]+@[^\s<>]+$/.test(bare) && bare.length <= 998 ? [`<${bare}>`] : [];
}
