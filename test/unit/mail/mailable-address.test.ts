import { describe, expect, it } from 'vitest';
import { isMailableAddress } from '../../../lib/domain/mail/mailable-address.ts';

describe('which addresses atende sends to', () => {
  it.each([
    'ana@example.com',
    'ana.maria+support@mail.example.com.br',
    "o'brien@example.ie",
    'x@xn--bcher-kva.example',
    'suporte@1und1.de',
  ])('sends to %s', (address) => {
    expect(isMailableAddress(address)).toBe(true);
  });

  it.each([
    ['a quoted local part', '"john doe"@example.com'],
    ['what a broken parser made of one', 'johndoe"@example.com'],
    ['two addresses in one', 'a@example.com,b@example.com'],
    ['an angle bracket', 'a@example.com>'],
    ['a line break', 'a@example.com\r\nBcc: eve@example.net'],
    ['no domain dot', 'root@localhost'],
    ['an IP address without the brackets of an address literal', 'ana@192.168.0.1'],
    ['a bare local part', 'mailer-daemon'],
    ['a leading dot', '.ana@example.com'],
    ['two dots', 'ana..maria@example.com'],
    ['a non-ASCII local part (no SMTPUTF8 on SES)', 'joão@example.com'],
    ['an unconverted IDN domain', 'ana@bücher.example'],
    ['a hyphen at a label end', 'ana@example-.com'],
    ['a local part over 64 octets', `${'a'.repeat(65)}@example.com`],
  ])('does not send to %s', (_, address) => {
    expect(isMailableAddress(address)).toBe(false);
  });
});
