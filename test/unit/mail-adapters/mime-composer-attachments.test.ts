import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMime } from '../../../lib/adapters/mail/mime-composer.ts';
import { acknowledgement, headerLines, headerNamed } from './outgoing-mail-fixtures.ts';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);

describe('composing a mail with files', () => {
  it('writes the text and HTML and then each file, byte for byte, as attachments of multipart/mixed', async () => {
    const raw = await composeMime(acknowledgement, {
      files: [
        { filename: 'error.png', contentType: 'image/png', content: png },
        { filename: 'Relatório de março.pdf', contentType: 'application/pdf', content: new Uint8Array([37, 80]) },
      ],
    });
    const parsed = await simpleParser(raw);

    expect(headerNamed(raw, 'Content-Type')[0]).toMatch(/^multipart\/mixed;/);
    expect(parsed.text).toContain('we have opened ticket #1042.');
    expect(parsed.attachments.map((file) => [file.filename, file.contentType, file.contentDisposition])).toEqual([
      ['error.png', 'image/png', 'attachment'],
      ['Relatório de março.pdf', 'application/pdf', 'attachment'],
    ]);
    expect(new Uint8Array(parsed.attachments[0]!.content)).toEqual(png);
  });

  it('keeps a hostile file name and type from adding a header', async () => {
    const raw = await composeMime(acknowledgement, {
      files: [
        {
          filename: 'x.txt\r\nBcc: victim@example.com',
          contentType: 'text/plain\r\nBcc: victim@example.com',
          content: new Uint8Array([104, 105]),
        },
      ],
    });
    const parsed = await simpleParser(raw);

    expect(raw.toString('latin1')).not.toMatch(/\r\nBcc:/i);
    expect(headerLines(raw).some((line) => /^bcc:/i.test(line))).toBe(false);
    expect(parsed.attachments[0]!.contentType).toBe('application/octet-stream');
    expect(parsed.attachments[0]!.filename).toBe('x.txt Bcc: victim@example.com');
  });

  it('writes no multipart/mixed without files', async () => {
    const raw = await composeMime(acknowledgement, { files: [] });

    expect(headerNamed(raw, 'Content-Type')[0]).toMatch(/^multipart\/alternative;/);
  });
});
