import type { OutgoingMail } from '../../../lib/application/ports/mailer.ts';

/** An acknowledgement as the ingest use case would hand it to a mailer. */
export const acknowledgement: OutgoingMail = {
  from: { address: 'servicedesk@example.com', name: 'Atende Support' },
  to: [{ address: 'ana.souza@cliente.example', name: 'Ana Souza' }],
  cc: [{ address: 'ops@cliente.example' }],
  subject: '[Atende #1042] Printer offline since Monday',
  text: 'Hello Ana,\n\nwe have opened ticket #1042.\n',
  html: '<p>Hello Ana,</p><p>we have opened ticket #1042.</p>',
  inReplyTo: '<CAF=abc123@mail.cliente.example>',
  references: ['<CAF=abc123@mail.cliente.example>'],
  autoSubmitted: 'auto-replied',
  headers: { 'X-Atende-Ticket': '1042' },
};

/** The header block of a raw message, unfolded (RFC 5322 §2.2.3), one entry per field. */
export const headerLines = (raw: Buffer | Uint8Array): string[] => {
  const text = Buffer.from(raw).toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  return text
    .slice(0, end === -1 ? text.length : end)
    .replace(/\r\n[ \t]/g, ' ')
    .split('\r\n');
};

/** The raw (still folded) header block. */
export const rawHeaderBlock = (raw: Buffer | Uint8Array): string => {
  const text = Buffer.from(raw).toString('latin1');
  return text.slice(0, text.indexOf('\r\n\r\n'));
};

export const headerNamed = (raw: Buffer | Uint8Array, name: string): string[] =>
  headerLines(raw)
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((line) => line.slice(name.length + 1).trim());
