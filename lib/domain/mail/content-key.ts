import { createHash } from 'node:crypto';
import type { InboundMail } from './inbound-mail.ts';

/**
 * The identity of a mail that has no Message-ID, so that the same mail delivered again (an SMTP
 * retry, the same file ingested twice, three deliveries at once) is recognised as it would be by
 * its Message-ID. Trace fields a relay adds (Received, Return-Path, SES's X-SES-*) are not part of
 * it; what the sender wrote is: author, recipients, date, subject, body and attachments.
 */
export function contentKey(mail: InboundMail): string {
  const hash = createHash('sha256');
  const field = (value: string | null | undefined) => hash.update(`${value ?? ''}\u0000`);
  field(mail.from?.address);
  field(mail.to.map((address) => address.address).join(','));
  field(mail.cc.map((address) => address.address).join(','));
  field(mail.date);
  field(mail.subject);
  field(mail.text);
  field(mail.html);
  for (const attachment of mail.attachments) field(attachment.sha256);
  return `content:${hash.digest('base64url')}`;
}
