import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from '../../../lib/adapters/http/file-download.ts';
import { downloadContentType } from '../../../lib/domain/attachments/customer-downloads.ts';

/** What RFC 5987's ext-value decodes to: the name a browser saves the file as. */
const savedAs = (disposition: string): string => {
  const encoded = /filename\*=UTF-8''([^;\s]*)$/.exec(disposition)?.[1];
  if (encoded === undefined) throw new Error(`no filename* in ${disposition}`);
  return decodeURIComponent(encoded);
};

describe('the Content-Disposition of a download', () => {
  it('names a plain file in both parameters', () => {
    expect(attachmentDisposition('invoice-2026.pdf')).toBe(
      `attachment; filename="invoice-2026.pdf"; filename*=UTF-8''invoice-2026.pdf`,
    );
  });

  it('keeps a non-ASCII name in filename* (UTF-8, percent-encoded) and an ASCII stand-in in filename', () => {
    const disposition = attachmentDisposition('relatório de ação (março).pdf');

    expect(savedAs(disposition)).toBe('relatório de ação (março).pdf');
    expect(disposition).toContain('filename="relatorio de acao (marco).pdf"');
    expect(disposition).toContain("filename*=UTF-8''relat%C3%B3rio%20de%20a%C3%A7%C3%A3o%20%28mar%C3%A7o%29.pdf");
    expect(attachmentDisposition('счёт.pdf')).toContain('filename="____.pdf"');
  });

  it('cannot end the header, add one, or open a second parameter from a hostile name', () => {
    for (const hostile of [
      'a.pdf\r\nSet-Cookie: session=stolen',
      'a.pdf"; filename="evil.exe',
      'a\\".pdf',
      '50%25.pdf',
      'x.pdf\u0000.exe',
    ]) {
      // One quoted plain name, then one ext-value of attr-chars and escapes: nothing else can parse out of it.
      expect(attachmentDisposition(hostile)).toMatch(
        /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*$/,
      );
      expect(/filename="([^"]*)"/.exec(attachmentDisposition(hostile))?.[1]).not.toMatch(/[%\\"]/);
    }
  });

  it('drops any folder and bidi override from the name, so the saved name is the one shown', () => {
    expect(savedAs(attachmentDisposition('../../etc/passwd'))).toBe('passwd');
    expect(savedAs(attachmentDisposition('C:\\Users\\ana\\invoice.pdf'))).toBe('invoice.pdf');
    expect(savedAs(attachmentDisposition('invoice\u202efdp.exe'))).toBe('invoice_fdp.exe');
    expect(savedAs(attachmentDisposition(null))).toBe('attachment');
  });
});

describe('the Content-Type of a download', () => {
  it('keeps images, PDF and plain text as stored', () => {
    expect(downloadContentType('image/png')).toBe('image/png');
    expect(downloadContentType('IMAGE/JPEG; name="x.jpg"')).toBe('image/jpeg');
    expect(downloadContentType('application/pdf')).toBe('application/pdf');
    expect(downloadContentType('text/plain; charset="ISO-8859-1"')).toBe('text/plain; charset=iso-8859-1');
  });

  it('makes everything else application/octet-stream, scriptable images and markup included', () => {
    for (const stored of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/zip', ''])
      expect(downloadContentType(stored)).toBe('application/octet-stream');
    expect(downloadContentType('text/plain; charset="x\r\nSet-Cookie: a=b"')).toBe('text/plain');
  });
});
