import { describe, expect, it } from 'vitest';
import { pipeline } from '../../support/ingest-pipeline.ts';
import { buildMail } from '../../support/mail-builder.ts';

/**
 * Files a hostile customer sends to get a program past atende into an agent's inbox, each kept
 * as a specification of what used to be forwarded.
 */

const AGENTS = 'servicedesk-agents@example.com';
const PROGRAM = Buffer.from('MZ\x90\x00 a Windows program', 'latin1');

/** A customer's mail with one part written as given (headers and body), after its text. */
function mailWithPart(partHeaders: readonly string[], body: string): Buffer {
  const boundary = '=_hostile_part';
  return Buffer.from(
    [
      'From: Ana Souza <ana@customer.example>',
      'To: servicedesk@example.com',
      'Subject: The error, attached',
      `Message-ID: <hostile-${Math.random().toString(36).slice(2)}@customer.example>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See the attached file.',
      `--${boundary}`,
      ...partHeaders,
      '',
      body,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

const forwardedTo = async (raw: Buffer) => {
  const setup = pipeline();
  await setup.receive(raw);
  const notice = setup.sentTo(AGENTS)[0]!;
  return { notice, files: notice.files.map((file) => file.filename) };
};

describe('a program whose name ends in a character a mail client drops or replaces', () => {
  it.each([
    ['a slash', 'setup.exe/'],
    ['a backslash', 'setup.exe\\\\'],
    ['a colon', 'setup.exe:'],
    ['a quote', 'setup.exe\\"'],
    ['a right-to-left override', 'setup.exe\u202e'],
    ['a zero-width space', 'setup.exe\u200b'],
    ['a zero-width space inside the extension', 'setup.e\u200bxe'],
  ])('is never forwarded when its name ends in %s, and the agents are told', async (_, name) => {
    const { files, notice } = await forwardedTo(
      mailWithPart(
        [
          'Content-Type: application/octet-stream',
          'Content-Transfer-Encoding: base64',
          `Content-Disposition: attachment; filename="${name}"`,
        ],
        PROGRAM.toString('base64'),
      ),
    );

    expect(files).toEqual([]);
    expect(notice.text).toContain('a type that can run code');
  });
});

describe('a forwarded mail holding a program', () => {
  const forwardedMail = buildMail({
    subject: 'Your invoice',
    attachments: [{ filename: 'invoice.exe', content: PROGRAM }],
  }).toString('latin1');

  it.each([
    ['named fw.eml', ['Content-Type: message/rfc822', 'Content-Disposition: attachment; filename="fw.eml"']],
    ['without a name', ['Content-Type: message/rfc822']],
    [
      'as an .eml of a harmless type',
      ['Content-Type: application/octet-stream', 'Content-Disposition: attachment; filename="fw.eml"'],
    ],
    [
      'as an Outlook .msg',
      ['Content-Type: application/vnd.ms-outlook', 'Content-Disposition: attachment; filename="fw.msg"'],
    ],
  ])('is kept but never forwarded %s: atende does not look inside it', async (_, headers) => {
    const { files, notice } = await forwardedTo(mailWithPart(headers, forwardedMail));

    expect(files).toEqual([]);
    expect(notice.text).toContain('a type that can run code');
  });
});
