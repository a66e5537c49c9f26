import { readFileSync } from 'node:fs';

/** The bytes of an .eml fixture under test/fixtures/mail/. */
export const mailFixture = (name: string): Buffer =>
  readFileSync(new URL(`../../fixtures/mail/${name}`, import.meta.url));

/** A raw message from header lines and a body, joined with CRLF as on the wire. */
export const rawMail = (headers: readonly string[], body = 'Hello.'): Buffer =>
  Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}`, 'utf8');
