import { describe, expect, it } from 'vitest';
import { markWithheld, selectForwardedAttachments } from '../../../lib/domain/attachments/attachment-forwarding.ts';
import {
  attachmentKey,
  isAttachmentKey,
  MAX_SAFE_NAME_BYTES,
  safeAttachmentName,
} from '../../../lib/domain/attachments/attachment-keys.ts';
import { isDangerousAttachment } from '../../../lib/domain/attachments/dangerous-attachments.ts';
import { parseSize } from '../../../lib/domain/policy/policy-grammar.ts';
import type { MessageAttachment } from '../../../lib/domain/ticket/ticket.ts';

const HASH = 'a'.repeat(64);

describe('dangerous attachments', () => {
  it.each([
    'setup.exe',
    'invoice.pdf.exe',
    'INVOICE.PDF.EXE',
    'run.exe. ',
    'script.js',
    'payload.vbs',
    'fix.ps1',
    'page.hta',
    'app.jar',
    'shortcut.lnk',
    'settings.reg',
    'disk.iso',
    'disk.img',
    'budget.xlsm',
    'letter.docm',
    'deck.pptm',
    'addin.xlam',
  ])('treats %s as dangerous by its last extension', (filename) => {
    expect(isDangerousAttachment({ filename, contentType: 'application/octet-stream' })).toBe(true);
  });

  it.each([
    'application/x-msdownload',
    'application/vnd.ms-excel.sheet.macroEnabled.12',
    'application/vnd.ms-word.document.macroenabled.12; name="x"',
    'application/javascript',
  ])('treats a file declared as %s as dangerous whatever its name', (contentType) => {
    expect(isDangerousAttachment({ filename: 'photo.jpg', contentType })).toBe(true);
  });

  it.each([
    ['report.exe.pdf', 'application/pdf'],
    ['screenshot.png', 'image/png'],
    ['budget.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['notes', 'text/plain'],
    [null, 'image/jpeg'],
  ])('forwards %s (%s)', (filename, contentType) => {
    expect(isDangerousAttachment({ filename, contentType })).toBe(false);
  });
});

describe('safe attachment names', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system.ini', 'system.ini'],
    ['../..', 'attachment'],
    ['.hidden', 'hidden'],
    ['..', 'attachment'],
    ['', 'attachment'],
    [null, 'attachment'],
    ['line\r\nBcc: x@evil.example.txt', 'line_Bcc_ x@evil.example.txt'],
    ['invoice\u202efdp.exe', 'invoice_fdp.exe'],
    ['a:b*c?d"e<f>g|h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['trailing dots...', 'trailing dots'],
  ])('makes %j a plain name: %j', (hostile, safe) => {
    expect(safeAttachmentName(hostile)).toBe(safe);
  });

  it('cuts a long name to the byte limit without splitting a character, keeping its extension', () => {
    const name = safeAttachmentName(`${'ü'.repeat(200)}.pdf`);

    expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(MAX_SAFE_NAME_BYTES);
    expect(name.endsWith('.pdf')).toBe(true);
    expect(name).not.toContain('\ufffd');
  });

  it('puts every hostile name in a key that stays one file inside its ticket folder', () => {
    for (const hostile of ['../../x', '/abs/path', 'a/../../b', '\u0000nul', '....']) {
      const key = attachmentKey(1000, HASH, hostile);

      expect(key.startsWith(`tickets/1000/attachments/${HASH}/`)).toBe(true);
      expect(key.split('/')).toHaveLength(5);
      expect(isAttachmentKey(key)).toBe(true);
    }
  });

  it.each([
    `tickets/1000/attachments/${HASH}/../../../etc/passwd`,
    `tickets/1000/attachments/${HASH}/..`,
    `tickets/1000/attachments/${HASH}/.hidden`,
    `tickets/1000/attachments/short/name.txt`,
    '/etc/passwd',
  ])('refuses %s as a key', (key) => {
    expect(isAttachmentKey(key)).toBe(false);
  });
});

const file = (filename: string, size: number, overrides: Partial<MessageAttachment> = {}): MessageAttachment => ({
  filename,
  contentType: 'application/pdf',
  size,
  key: `tickets/1000/attachments/${HASH}/${filename}`,
  sha256: HASH,
  inline: false,
  withheld: null,
  ...overrides,
});

describe('which attachments a mail forwards', () => {
  it('attaches files in order while they fit the limit, and lets a smaller one after a large one through', () => {
    const files = [file('a.pdf', 4), file('b.pdf', 7), file('c.pdf', 5), file('d.pdf', 2)];

    const selection = selectForwardedAttachments(files, 10);

    expect(selection.attach.map((entry) => entry.filename)).toEqual(['a.pdf', 'c.pdf']);
    expect(selection.withheld.map((entry) => [entry.attachment.filename, entry.reason])).toEqual([
      ['b.pdf', 'too-large'],
      ['d.pdf', 'too-large'],
    ]);
  });

  it('never attaches a dangerous file, however small', () => {
    const selection = selectForwardedAttachments([file('tool.exe', 1), file('ok.pdf', 1)], 10);

    expect(selection.attach.map((entry) => entry.filename)).toEqual(['ok.pdf']);
    expect(selection.withheld).toMatchObject([{ index: 0, reason: 'dangerous' }]);
  });

  it('withholds a file that was never stored', () => {
    const selection = selectForwardedAttachments([file('old.pdf', 1, { key: null })], 10);

    expect(selection.attach).toEqual([]);
  });

  it('marks the message’s attachments with what was withheld, by position', () => {
    const files = [file('same.pdf', 8), file('same.pdf', 8)];

    const marked = markWithheld(files, selectForwardedAttachments(files, 10));

    expect(marked.map((entry) => entry.withheld)).toEqual([null, 'too-large']);
  });
});

describe('sizes in the policy', () => {
  it.each([
    ['10MB', 10_000_000],
    ['512 KB', 512_000],
    ['2.5MB', 2_500_000],
    ['1MiB', 1_048_576],
    ['2048', 2048],
  ])('reads %s as %d bytes', (text, bytes) => {
    expect(parseSize(text)).toEqual({ ok: true, value: bytes });
  });

  it('refuses a size without a number', () => {
    expect(parseSize('ten megabytes').ok).toBe(false);
  });
});
