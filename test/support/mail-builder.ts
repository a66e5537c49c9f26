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
    ...(mail.html === undefined ? PLAIN_TEXT : { 'Content-Type': `multipart/alternative; boundary="${ALTERNATIVE}"` }),
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
  return Buffer.from(`${head}\r\n\r\n${body}\r\n`, 'utf8');
}

const PLAIN_TEXT = { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': '8bit' };
const ALTERNATIVE = '=_alternative_test';
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
