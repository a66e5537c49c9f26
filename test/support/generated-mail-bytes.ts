import { encodedWord } from '../../bench/ingest-mail-generator.ts';
import { buildMail } from './mail-builder.ts';

/**
 * The raw messages the reliability suite's generator (generated-mail.ts) writes: a customer's
 * mail to the service desk, plain or with an HTML part, names and subjects as encoded words; and
 * the delivery status notification SES sends when one of our mails bounces.
 */

const SUPPORT_ADDRESS = 'servicedesk@example.com';

export interface Person {
  readonly address: string;
  readonly name: string;
}

export interface CustomerMail {
  readonly from: Person;
  readonly cc?: Person | null;
  readonly subject: string;
  readonly messageId: string;
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  readonly text: string;
  /** An HTML part besides the text, as most mail clients send. */
  readonly html: boolean;
  readonly headers?: Record<string, string>;
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const named = (person: Person): string => `${encodedWord(person.name)} <${person.address}>`;

export const customerMail = (mail: CustomerMail): Buffer =>
  buildMail({
    from: named(mail.from),
    to: SUPPORT_ADDRESS,
    ...(mail.cc ? { cc: named(mail.cc) } : {}),
    subject: encodedWord(mail.subject),
    messageId: mail.messageId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references?.length ? { references: mail.references.join(' ') } : {}),
    text: mail.text,
    ...(mail.html
      ? {
          html: `<html><body>${mail.text
            .split('\n\n')
            .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
            .join('')}</body></html>`,
        }
      : {}),
    headers: mail.headers ?? {},
  });

/** What a bounce returns of the mail that bounced: where it went, and the headers that identify it. */
export interface BouncedMail {
  readonly to: string;
  readonly subject: string;
  readonly messageId: string;
  readonly ticketNumber: number | null;
}

/** A delivery status notification as SES sends it (RFC 3464), returning the headers of the mail that bounced. */
export function bounceMail(messageId: string, bounced: BouncedMail): Buffer {
  const boundary = `=_bounce_${messageId.replace(/[^A-Za-z0-9]/g, '')}`;
  const returned = [
    `From: Atende Support <${SUPPORT_ADDRESS}>`,
    `To: ${bounced.to}`,
    `Subject: ${encodedWord(bounced.subject)}`,
    `Message-ID: ${bounced.messageId}`,
    ...(bounced.ticketNumber === null ? [] : [`X-Atende-Ticket: ${bounced.ticketNumber}`]),
  ];
  return buildMail({
    from: 'MAILER-DAEMON@amazonses.com',
    to: SUPPORT_ADDRESS,
    subject: 'Delivery Status Notification (Failure)',
    messageId,
    headers: {
      'Return-Path': '<>',
      'Content-Type': `multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      'Content-Transfer-Encoding': '7bit',
    },
    text: [
      `--${boundary}`,
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'An error occurred while trying to deliver the mail to the following recipients:',
      bounced.to,
      '',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; a8-30.smtp-out.amazonses.com',
      '',
      'Action: failed',
      `Final-Recipient: rfc822; ${bounced.to}`,
      `Diagnostic-Code: smtp; 550 5.1.1 <${bounced.to}>: Recipient address rejected: User unknown`,
      'Status: 5.1.1',
      '',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      ...returned,
      '',
      `--${boundary}--`,
    ].join('\n'),
  });
}
