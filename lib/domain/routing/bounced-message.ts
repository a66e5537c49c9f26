/** What a bounce says about the message that bounced. */
export interface BouncedMessageReferences {
  /** Message-IDs of the returned message's headers (RFC 3464 returns them as text/rfc822-headers or message/rfc822). */
  readonly messageIds: string[];
  /** Our ticket number, when the returned headers include the X-Atende-Ticket header we set. */
  readonly ticketNumber: number | null;
}

/** How much of a bounce is searched: returned headers come early; a bounce that returns a whole video does not need reading. */
const SEARCH_LIMIT_BYTES = 512 * 1024;

/**
 * Finds the bounced message's identity in a delivery status notification. DSN formats vary by
 * MTA (RFC 3464, qmail, Exchange, Lotus …), but nearly all quote the original header block,
 * so header-shaped lines after the bounce's own header block are what we look for.
 */
export function bouncedMessageReferences(raw: Uint8Array): BouncedMessageReferences {
  const text = Buffer.from(raw.subarray(0, SEARCH_LIMIT_BYTES)).toString('latin1').replace(/\r\n?/g, '\n');
  const bodyStart = text.search(/\n\n/);
  const body = bodyStart < 0 ? '' : text.slice(bodyStart);
  // White space before a field name stays on its line (`[^\S\n]`): a `^\s*` crosses line breaks,
  // so on a body of blank lines every line start re-read all the lines after it (200 KB: minutes).
  const messageIds = [...body.matchAll(/^[^\S\n]*(?:>[^\S\n]*)?message-id:\s*(<[^>\s]+>)/gim)].map(
    (match) => match[1]!,
  );
  const ticket = /^[^\S\n]*(?:>[^\S\n]*)?x-atende-ticket:\s*(\d{1,12})[^\S\n]*$/im.exec(body);
  return { messageIds: [...new Set(messageIds)], ticketNumber: ticket ? Number(ticket[1]) : null };
}
