import { readFileSync } from 'node:fs';
import { BODIES, encodedWord, LANGUAGES, NAMES, SUBJECTS, seededRandom } from './ingest-mail-generator.ts';

/**
 * The mail the inbound-function bench sends, and the SES receipt events that announce it.
 * A typical message is plain text of about 2 KB (a customer describing a problem, with a
 * signature and a confidentiality footer, or a reply quoting our acknowledgement); the sized
 * ones (1 KB, 1 MB, 25 MB) are a short text with a base64 attachment making up the rest.
 */

/** The SES receipt rule's Lambda event as delivered (test/fixtures/events/ses), the mail's fields changed per message. */
const EVENT_FIXTURE = new URL('../test/fixtures/events/ses/receipt-lambda-action.json', import.meta.url);
const fixture = (): { Records: [{ ses: SesPart }] } => JSON.parse(readFileSync(EVENT_FIXTURE, 'utf8'));
interface SesPart {
  mail: Record<string, unknown> & { commonHeaders: Record<string, unknown> };
  receipt: Record<string, unknown>;
}

export interface BenchMail {
  /** SES's messageId: the raw mail's S3 key after the prefix, and the receipt's key. */
  readonly sesMessageId: string;
  readonly from: { readonly address: string; readonly name: string };
  readonly subject: string;
  readonly messageId: string;
  readonly inReplyTo: string | null;
  readonly raw: Buffer;
}

const SUPPORT_ADDRESS = 'servicedesk@example.com';

/** The SES event for a mail stored at `<prefix><sesMessageId>`: what the receipt rule invokes the function with. */
export function sesReceiptEvent(mail: BenchMail, at: Date): unknown {
  const event = fixture();
  const ses = event.Records[0].ses;
  const from = `${mail.from.name} <${mail.from.address}>`;
  ses.mail = {
    ...ses.mail,
    timestamp: at.toISOString(),
    source: mail.from.address,
    messageId: mail.sesMessageId,
    headers: [
      { name: 'Return-Path', value: `<${mail.from.address}>` },
      { name: 'From', value: from },
      { name: 'To', value: SUPPORT_ADDRESS },
      { name: 'Subject', value: mail.subject },
      { name: 'Message-ID', value: mail.messageId },
      ...(mail.inReplyTo === null ? [] : [{ name: 'In-Reply-To', value: mail.inReplyTo }]),
    ],
    commonHeaders: {
      ...ses.mail.commonHeaders,
      returnPath: mail.from.address,
      from: [from],
      messageId: mail.messageId,
      subject: mail.subject,
    },
  };
  ses.receipt = { ...ses.receipt, timestamp: at.toISOString(), recipients: [SUPPORT_ADDRESS] };
  return event;
}

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

function rawMail(
  mail: Omit<BenchMail, 'raw'>,
  body: { readonly text: string; readonly attachmentBytes?: number },
): Buffer {
  const headers = [
    `From: ${encodedWord(mail.from.name)} <${mail.from.address}>`,
    `To: ${SUPPORT_ADDRESS}`,
    `Subject: ${encodedWord(mail.subject)}`,
    'Date: Fri, 04 Dec 2026 09:00:00 -0300',
    `Message-ID: ${mail.messageId}`,
    ...(mail.inReplyTo === null ? [] : [`In-Reply-To: ${mail.inReplyTo}`, `References: ${mail.inReplyTo}`]),
    'MIME-Version: 1.0',
  ];
  const plain = ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'];
  if (body.attachmentBytes === undefined)
    return Buffer.from(`${[...headers, ...plain].join('\r\n')}\r\n\r\n${crlf(body.text)}\r\n`, 'utf8');
  const boundary = '=_bench_attachment';
  // A compressed file looks random: the attachment is pseudo-random bytes, not one repeated byte.
  const random = seededRandom(body.attachmentBytes);
  const file = Buffer.alloc(body.attachmentBytes);
  for (let index = 0; index < file.length; index += 4) file.writeUInt32LE((random() * 2 ** 32) >>> 0, index);
  const base64 = (file.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
  return Buffer.from(
    `${[...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`].join('\r\n')}\r\n\r\n` +
      `--${boundary}\r\n${plain.join('\r\n')}\r\n\r\n${crlf(body.text)}\r\n` +
      `--${boundary}\r\nContent-Type: application/zip; name="logs.zip"\r\n` +
      `Content-Disposition: attachment; filename="logs.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
      `${base64}\r\n--${boundary}--\r\n`,
    'utf8',
  );
}

/** What a customer adds below the problem in a ~2 KB mail: what they tried, their set-up, a signature and a footer. */
const DETAILS =
  '\n\nWhat we tried so far: restarted the application and the browser, cleared the cache, tried from ' +
  'another computer on the same network and from a phone on mobile data. The problem is the same ' +
  'everywhere. It started this morning around nine, right after the update was installed; ' +
  'yesterday everything worked normally. Three people on our team are affected and we have ' +
  'customers waiting on the orders we cannot send.\n\nOur set-up: Windows 11 and macOS 14, Chrome ' +
  '131 and Firefox 133, office network behind a proxy, account on the business plan.\n\n' +
  'The error message on the screen reads: "Your session has expired, please sign in again", and ' +
  'signing in again brings us back to the same page after a few seconds. The browser console ' +
  'shows a request to the login page that is answered with status 401, followed by a redirect ' +
  'loop. We also noticed that the reports sent by e-mail every morning did not arrive today.\n\n' +
  'Please let us know if you need screenshots or the logs of the application.\n\n';
const FOOTER =
  '\n--\nOperations Coordinator\nPhone +55 11 5555-0100 | Mobile +55 11 95555-0101\n\n' +
  'CONFIDENTIALITY NOTICE: This e-mail and any files transmitted with it are confidential and ' +
  'intended solely for the use of the individual or entity to whom they are addressed. If you have ' +
  'received this e-mail in error please notify the sender and delete it. Any views or opinions ' +
  'presented are solely those of the author.';

/** A new ticket's first mail: ~2 KB of plain text. */
export function typicalNewTicket(
  position: number,
  seed: number,
  sender?: { address: string; name: string },
): BenchMail {
  const random = seededRandom(seed + position);
  const language = LANGUAGES[Math.floor(random() * LANGUAGES.length)]!;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const from = sender ?? { address: `customer-${seed}-${position}@customer.example`, name: pick(NAMES[language]) };
  const mail = {
    sesMessageId: `bench${seed}new${position}`,
    from,
    subject: `${pick(SUBJECTS[language])} (${seed}-${position})`,
    messageId: `<bench-${seed}-${position}@customer.example>`,
    inReplyTo: null,
  };
  return { ...mail, raw: rawMail(mail, { text: `${pick(BODIES[language])}${DETAILS}${from.name}${FOOTER}` }) };
}

/** The customer's answer to our acknowledgement of a ticket (In-Reply-To its Message-ID), quoting it: ~2 KB. */
export function typicalReply(
  position: number,
  seed: number,
  ticket: { readonly requester: string; readonly requesterName: string | null; readonly subject: string },
  acknowledgementId: string,
): BenchMail {
  const mail = {
    sesMessageId: `bench${seed}reply${position}`,
    from: { address: ticket.requester, name: ticket.requesterName ?? 'Customer' },
    subject: `Re: ${ticket.subject}`,
    messageId: `<bench-${seed}-reply-${position}@customer.example>`,
    inReplyTo: acknowledgementId,
  };
  const quoted = `We received your message and opened a ticket.${DETAILS}`
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  const text = `Thanks for the quick answer. It happened again just now; the error says the session expired.\n\n${quoted}${FOOTER}`;
  return { ...mail, raw: rawMail(mail, { text }) };
}

/** A new ticket's mail of about `bytes` in total: a short text, the rest a base64 attachment (none for a small one). */
export function sizedMail(label: string, bytes: number): BenchMail {
  const mail = {
    sesMessageId: `benchsized${label}`,
    from: { address: `sized-${label}@customer.example`, name: 'Sized Sender' },
    subject: `Logs attached (${label})`,
    messageId: `<bench-sized-${label}@customer.example>`,
    inReplyTo: null,
  };
  const text = 'Hello,\n\nthe application crashes on start. The logs are attached.\n\nRegards,\nSized Sender';
  // A small one is all text: the words of a typical mail, cut to size.
  const bare = rawMail(mail, { text }).byteLength;
  const words = DETAILS.repeat(Math.ceil(bytes / DETAILS.length) + 1).slice(0, Math.max(0, bytes - bare - 1));
  const small = rawMail(mail, { text: `${text}\n${words}` });
  if (small.byteLength >= bytes) return { ...mail, raw: small };
  // base64 lines: 76 characters and CRLF carry 57 bytes.
  const attachmentBytes = Math.floor(((bytes - 900) * 57) / 78 / 4) * 4;
  return { ...mail, raw: rawMail(mail, { text, attachmentBytes }) };
}
