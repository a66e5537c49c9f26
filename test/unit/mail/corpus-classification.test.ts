import { beforeAll, describe, expect, it } from 'vitest';
import type { InboundMail } from '../../../lib/domain/mail/inbound-mail.ts';
import { classifyInboundMail, type MailClassification } from '../../../lib/domain/mail/mail-classification.ts';
import { parseInboundMail } from '../../../lib/domain/mail/parse-inbound-mail.ts';
import { maskSecrets } from '../../../lib/domain/mail/secret-redaction.ts';
import {
  type CorpusEntry,
  corpusManifestPath,
  corpusPresent,
  readCorpusManifest,
  readCorpusMessage,
} from '../../support/corpus-manifest.ts';

if (!corpusPresent)
  console.warn(`corpus tests skipped: no ${corpusManifestPath} (set ATENDE_CORPUS_DIR to the corpus folder)`);

/** Where we deliberately differ from the corpus expectation, and why. */
const EXCEPTIONS: Record<'from' | 'subject' | 'has_attachments', Record<string, string>> = {
  from: {
    'mail/mimekit/feedback-report.eml':
      'a UTF-8 byte-order mark precedes the first header; we skip it and read the From the expectation says is missing',
  },
  subject: {
    'mail/zammad/mail018.eml':
      'a UTF-7 encoded word broken across folded lines (not RFC 2047); mailparser leaves it undecoded',
    'mail/zammad/mail046.eml':
      'raw 8-bit GB2312 in the Subject with no charset declared for it (the body says iso-8859-1)',
    'mail/zammad/mail093.eml':
      'raw 8-bit Shift_JIS in the Subject with no charset declared for it (the body says iso-2022-jp)',
  },
  has_attachments: {
    'mail/stalwart-dovecot/thirdparty__007.eml':
      'multipart/digest parts default to message/rfc822 (RFC 2046 §5.1.5); mailparser does not descend into them',
  },
};

interface Outcome {
  readonly entry: CorpusEntry;
  readonly mail: InboundMail | null;
  readonly error: unknown;
  readonly classification: MailClassification | null;
}

const context = { ownAddresses: ['servicedesk@example.com'] };
const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

describe.skipIf(!corpusPresent)('the real-world mail corpus', () => {
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    const entries = readCorpusManifest();
    // Each file is read and parsed once; the assertions below look at the outcomes.
    for (const entry of entries) {
      const raw = readCorpusMessage(entry);
      try {
        const mail = await parseInboundMail(raw);
        outcomes.push({ entry, mail, error: null, classification: classifyInboundMail(mail, context) });
      } catch (error) {
        outcomes.push({ entry, mail: null, error, classification: null });
      }
    }
  }, 60_000);

  it('parses and classifies all 400 messages without a failure', () => {
    const failures = outcomes
      .filter((outcome) => outcome.error !== null)
      .map((outcome) => `${outcome.entry.file}: ${String(outcome.error)}`);

    expect(outcomes).toHaveLength(400);
    expect(failures).toEqual([]);
  });

  it('never treats a bounce or an automatic reply as customer mail', () => {
    const automatic = outcomes.filter(
      (outcome) => outcome.entry.expected.is_bounce || outcome.entry.expected.is_auto_reply,
    );
    const answered = automatic
      .filter((outcome) => outcome.classification?.kind === 'customer')
      .map((outcome) => outcome.entry.file);

    expect(automatic).toHaveLength(85);
    expect(answered).toEqual([]);
  });

  it('keeps the mail it would not answer, among the rest, few and each for a stated reason', () => {
    const others = outcomes.filter(
      (outcome) => !outcome.entry.expected.is_bounce && !outcome.entry.expected.is_auto_reply,
    );
    const unanswered = others.filter((outcome) => outcome.classification?.kind !== 'customer');

    console.info(
      `corpus: ${unanswered.length} of ${others.length} messages that are neither bounces nor auto-replies are not answered:\n` +
        unanswered
          .map(
            (outcome) =>
              `  ${outcome.entry.file} [${outcome.entry.category}] → ${outcome.classification?.kind}: ${outcome.classification?.reason}`,
          )
          .join('\n'),
    );
    // Mailing lists, bulk mail, abuse reports, read receipts, auto-generated notifications,
    // mailer-daemon senders and null return paths: automatic by RFC 3834 and practice, though
    // the corpus does not call them auto-replies. A rise means a rule got looser.
    expect(unanswered.length).toBeLessThanOrEqual(23);
  });

  it('finds no secret to mask in the corpus, which holds none (base64, DKIM, paths, hashes, ids)', () => {
    const masked = outcomes.flatMap(({ entry, mail }) =>
      mail === null
        ? []
        : maskSecrets(mail.text).found.map(
            (finding) => `${entry.file}: ${finding.kind} by ${finding.detector} at ${finding.index}`,
          ),
    );

    expect(masked).toEqual([]);
  });

  it.each(['from', 'subject', 'has_attachments'] as const)(
    'agrees with the expected %s wherever the corpus gives one',
    (field) => {
      const disagreements: string[] = [];
      for (const { entry, mail } of outcomes) {
        const expected = entry.expected[field];
        if (expected === null || mail === null || entry.file in EXCEPTIONS[field]) continue;
        const actual =
          field === 'from'
            ? mail.fromSource === 'from'
              ? (mail.from?.address ?? '')
              : ''
            : field === 'subject'
              ? collapse(mail.subject)
              : mail.attachmentCount > 0;
        const wanted =
          typeof expected === 'string' ? (field === 'from' ? expected.toLowerCase() : collapse(expected)) : expected;
        if (actual !== wanted)
          disagreements.push(`${entry.file}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`);
      }

      expect(disagreements).toEqual([]);
    },
  );

  it('still differs from the corpus where the exceptions say, so that a fix retires them', () => {
    const stillDiffering = Object.entries(EXCEPTIONS).flatMap(([field, files]) =>
      Object.keys(files).filter((file) => {
        const outcome = outcomes.find((candidate) => candidate.entry.file === file);
        const mail = outcome?.mail;
        if (!outcome || !mail) return false;
        const expected = outcome.entry.expected;
        if (field === 'from') return (mail.from?.address ?? '') !== (expected.from ?? '').toLowerCase();
        if (field === 'subject') return collapse(mail.subject) !== collapse(expected.subject ?? '');
        return mail.attachmentCount > 0 !== expected.has_attachments;
      }),
    );

    expect(stillDiffering).toHaveLength(
      Object.values(EXCEPTIONS).reduce((count, files) => count + Object.keys(files).length, 0),
    );
  });
});
