import addressparser from 'nodemailer/lib/addressparser';
import { isNullReversePath, scanBareLocalPart } from './address-scan.ts';
import { readableHeaderText } from './header-text.ts';
import type { MailAddress } from './inbound-mail.ts';

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its angle brackets. */
const MAX_ADDRESS_LENGTH = 254;

/*
 * What an address read from a header may look like: an addr-spec whose local part is a run of
 * characters without white space, controls or specials, or an RFC 5322 quoted-string (kept
 * with its quotes, as in `"john doe"@example.com`), and whose domain is such a run or a domain
 * literal; or a local part alone, which mailer daemons and local mail write (`<moderator>`).
 * Anything else is debris of a broken header, not an address. Whether atende can send to an
 * address is a stricter, separate question (mailable-address.ts).
 */
const RUN = String.raw`[^\s"(),:;<>@[\\\]\u0000-\u001f\u007f-\u009f]+`;
const QUOTED = String.raw`"(?:[^"\\\u0000-\u001f\u007f-\u009f]|\\[^\u0000-\u001f\u007f-\u009f])*"`;
const DOMAIN_LITERAL = String.raw`\[[^[\]\\\s\u0000-\u001f\u007f-\u009f]*\]`;
const ADDRESS = new RegExp(`^(?:(?:${QUOTED}|${RUN})@(?:${RUN}|${DOMAIN_LITERAL})|${RUN})$`);

/**
 * The mailboxes of address fields (To, Cc, Reply-To), in order, each address once.
 * Read by nodemailer's addressparser, which follows RFC 5322 §3.4 with groups (flattened
 * here), comments, quoted strings and the obsolete syntax of §4.4
 * (`<jdoe@machine(comment).  example>`), restores the quotes of a quoted local part, and
 * works in linear time (its comments name the quadratic cases it removed). Addresses are
 * lower-cased; display names are RFC 2047-decoded and free of control characters.
 */
export function readMailboxes(values: readonly string[]): MailAddress[] {
  const seen = new Set<string>();
  const found: MailAddress[] = [];
  for (const value of values) {
    for (const entry of addressparser(value, { flatten: true })) {
      const address = headerAddress(entry.address);
      if (address === null || seen.has(address)) continue;
      seen.add(address);
      found.push({ address, name: displayName(entry.name) });
    }
  }
  return found;
}

/**
 * The author a From or Sender value names: its first mailbox, else the bare local part that
 * mailer daemons write (`MAILER-DAEMON (Mail Delivery System)`, which RFC 5322 does not read
 * as an address at all); null when it names neither.
 */
export function readAuthor(value: string): MailAddress | null {
  const mailbox = readMailboxes([value])[0];
  if (mailbox) return mailbox;
  const local = scanBareLocalPart(value);
  if (local === null) return null;
  return { address: local, name: displayName(addressparser(value, { flatten: true })[0]?.name) };
}

/**
 * The envelope sender of a Return-Path value (RFC 5321 §4.4), lower-cased: `''` for the null
 * reverse-path `<>` of a bounce, null when the value names no address.
 */
export function readReversePath(value: string): string | null {
  if (isNullReversePath(value)) return '';
  return readAuthor(value)?.address ?? null;
}

function headerAddress(written: string | undefined): string | null {
  const address = (written ?? '').toLowerCase();
  if (address === '' || address.length > MAX_ADDRESS_LENGTH) return null;
  return ADDRESS.test(address) ? address : null;
}

function displayName(name: string | undefined): string | null {
  const readable = readableHeaderText(name ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return readable === '' ? null : readable;
}
