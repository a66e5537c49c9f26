/** Builds small RFC 5322 messages for tests; every header can be set or left out. */
export interface TestMail {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  /** null: no Message-ID header at all. */
  messageId?: string | null;
  inReplyTo?: string;
  references?: string;
  date?: string;
  text?: string;
  /** An HTML part besides the text: multipart/alternative, as most mail clients send. */
  html?: string;
  headers?: Record<string, string>;
  /** Files after the body: multipart/mixed, each base64 with its name in Content-Disposition. */
  attachments?: readonly TestAttachment[];
}

export interface TestAttachment {
  /** As written into the header (quote it yourself if you mean to test hostile names). */
  readonly filename: string;
  readonly contentType?: string;
  readonly content: Buffer | string;
}

let counter = 0;

export function buildMail(mail: TestMail = {}): Buffer {
  counter += 1;
  const headers: Record<string, string | undefined> = {
    From: mail.from ?? 'Ana Souza <ana@customer.example>',
    To: mail.to ?? 'servicedesk@example.com',
    Cc: mail.cc,
    Subject: mail.subject ?? 'Printer offline',
    Date: mail.date ?? 'Mon, 23 Nov 2026 10:00:00 -0500',
    'Message-ID':
      mail.messageId === null ? undefined : (mail.messageId ?? `<test-${counter}-${Date.now()}@mail.customer.example>`),
    'In-Reply-To': mail.inReplyTo,
    References: mail.references,
    'MIME-Version': '1.0',
    ...(mail.attachments?.length
      ? { 'Content-Type': `multipart/mixed; boundary="${MIXED}"` }
      : mail.html === undefined
        ? PLAIN_TEXT
        : { 'Content-Type': `multipart/alternative; boundary="${ALTERNATIVE}"` }),
    ...mail.headers,
  };
  const head = Object.entries(headers)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  const text = crlf(mail.text ?? 'Hello, the printer on the third floor is offline since this morning.');
  const body =
    mail.html === undefined
      ? text
      : [
          `--${ALTERNATIVE}`,
          ...Object.entries(PLAIN_TEXT).map(([name, value]) => `${name}: ${value}`),
          '',
          text,
          `--${ALTERNATIVE}`,
          'Content-Type: text/html; charset=utf-8',
          'Content-Transfer-Encoding: 8bit',
          '',
          crlf(mail.html),
          `--${ALTERNATIVE}--`,
        ].join('\r\n');
  if (!mail.attachments?.length) return Buffer.from(`${head}\r\n\r\n${body}\r\n`, 'utf8');
  const bodyHead =
    mail.html === undefined
      ? Object.entries(PLAIN_TEXT).map(([name, value]) => `${name}: ${value}`)
      : [`Content-Type: multipart/alternative; boundary="${ALTERNATIVE}"`];
  const parts = [
    `--${MIXED}`,
    ...bodyHead,
    '',
    body,
    ...mail.attachments.flatMap((file) => [
      `--${MIXED}`,
      `Content-Type: ${file.contentType ?? 'application/octet-stream'}`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${file.filename}"`,
      '',
      (Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, 'utf8'))
        .toString('base64')
        .replace(/.{76}/g, '$&\r\n'),
    ]),
    `--${MIXED}--`,
  ];
  return Buffer.from(`${head}\r\n\r\n${parts.join('\r\n')}\r\n`, 'utf8');
}

const PLAIN_TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': '8bit' };
const ALTERNATIVE = '=_alternative_test';
const MIXED = '=_mixed_test';
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
