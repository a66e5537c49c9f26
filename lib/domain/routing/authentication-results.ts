/**
 * Reads the DKIM results a receiver wrote into an Authentication-Results header (RFC 8601),
 * e.g. SES's `amazonses.com; spf=pass …; dkim=pass header.i=@example.com; dmarc=pass header.from=example.com`.
 *
 * Anyone can write such a header into the mail they send, so only the receiver's own counts:
 * SES prepends its header above everything the sender wrote, so the topmost
 * Authentication-Results is SES's when its authserv-id is SES's, and nothing is trusted otherwise.
 */
export const SES_AUTHSERV_ID = 'amazonses.com';

/** A header value is read up to this many characters: a real one is a few hundred. */
const MAX_VALUE_CHARS = 8_192;

/**
 * The domains whose DKIM signature passed, by the topmost Authentication-Results header
 * (`headerValues` in the order they appear), or null when that header is not `authServId`'s.
 */
export function dkimPassDomains(
  headerValues: readonly string[],
  authServId: string = SES_AUTHSERV_ID,
): string[] | null {
  const topmost = headerValues[0];
  if (topmost === undefined) return null;
  const [id, ...results] = topmost.slice(0, MAX_VALUE_CHARS).split(';');
  if (id?.trim().split(/\s+/)[0]?.toLowerCase() !== authServId) return null;
  const domains: string[] = [];
  for (const result of results) {
    const words = result.trim().split(/\s+/);
    if (words[0]?.toLowerCase() !== 'dkim=pass') continue;
    for (const word of words.slice(1)) {
      const [property, value = ''] = word.split('=', 2);
      const name = property?.toLowerCase();
      if (name === 'header.d') domains.push(value.toLowerCase());
      if (name === 'header.i' && value.includes('@'))
        domains.push(value.slice(value.lastIndexOf('@') + 1).toLowerCase());
    }
  }
  return [...new Set(domains.filter((domain) => domain !== ''))];
}
