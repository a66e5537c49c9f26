import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { InMemoryAttachmentStore } from '../../../lib/adapters/memory/in-memory-attachment-store.ts';
import { InMemoryRawMailStore } from '../../../lib/adapters/memory/in-memory-raw-mail-store.ts';
import { RecordingMailer } from '../../../lib/adapters/memory/recording-mailer.ts';
import { RecordingTimers } from '../../../lib/adapters/memory/recording-timers.ts';
import { HandlebarsNotificationRenderer } from '../../../lib/adapters/templates/handlebars-notification-renderer.ts';
import {
  type IngestEmailDeps,
  type IngestResult,
  ingestEmail,
  STORED_SUBJECT_LIMIT,
} from '../../../lib/application/ingest-email.ts';
import { SignedStatusLinks } from '../../../lib/application/signed-status-links.ts';
import { SignedSurveyLinks } from '../../../lib/application/signed-survey-links.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { SlaClock } from '../../../lib/domain/sla/sla-schedule.ts';
import type { TicketMessage } from '../../../lib/domain/ticket/ticket.ts';
import {
  type CorpusEntry,
  collapseWhitespace,
  corpusManifestPath,
  corpusPresent,
  readCorpusManifest,
  readCorpusMessage,
} from '../../support/corpus-manifest.ts';
import { testTicketTables } from '../../support/dynamodb-test-table.ts';
import { at, MINUTE, shippedPolicy } from '../../support/policy-fixtures.ts';

/** Signs the survey links of the mail this run sends (never followed). */
const SURVEY_SECRET = Buffer.from('survey links of this run, signed but never followed');

if (!corpusPresent)
  console.warn(`corpus ingest test skipped: no ${corpusManifestPath} (set ATENDE_CORPUS_DIR to the corpus folder)`);

type CheckedField = 'from' | 'subject' | 'has_attachments';

/**
 * Where what ingest stores deliberately differs from the corpus expectation, and why: the
 * parser's known misses (the corpus README's "Parse check with mailparser"), as far as they
 * reach a stored message. Of the mail-domain test's exceptions (corpus-classification.test.ts)
 * the others store nothing here, so there is nothing to compare: zammad/mail018 is a bounce
 * (quarantined, unmatched), stalwart-dovecot/thirdparty__007 comes from the local-only
 * `moderator` (quarantined, no sender), mimekit/feedback-report expects no From at all.
 */
const EXCEPTIONS: Record<CheckedField, Record<string, string>> = {
  from: {},
  subject: {
    'mail/zammad/mail046.eml':
      'raw 8-bit GB2312 in the Subject with no charset declared for it (the body says iso-8859-1)',
    'mail/zammad/mail093.eml':
      'raw 8-bit Shift_JIS in the Subject with no charset declared for it (the body says iso-2022-jp)',
  },
  has_attachments: {},
};

/**
 * Product bugs this corpus finds: ingestEmail throws where it should return a result (on AWS a
 * crash loop instead of a quarantine record). None known: a repeated Message-ID (42 fixtures
 * reuse one) and a 130 000-character Subject (flanker/long-header.eml) used to throw here.
 * A new crash fails the test; list it here with its reason only while it is being fixed.
 */
const KNOWN_CRASH_REASONS: Record<string, string> = {};
const KNOWN_CRASHES: Record<string, keyof typeof KNOWN_CRASH_REASONS> = {};

/** What became of one corpus message. */
interface Processed {
  readonly entry: CorpusEntry;
  readonly result: IngestResult | null;
  readonly error: unknown;
  /** The requester of the ticket the message created, when it created one. */
  readonly requester: string | null;
  /** The inbound message as stored on its ticket, when it was stored. */
  readonly stored: TicketMessage | null;
  /** Every address (to and cc) of the mail sent while this message was processed. */
  readonly sentTo: readonly string[];
}

const RECIPIENTS = ['servicedesk@example.com'];
const STEP = MINUTE;

const tables = testTicketTables();
afterAll(() => tables.dropAll());

describe.skipIf(!corpusPresent)('the real-world corpus through ingestEmail on DynamoDB Local', () => {
  const processed: Processed[] = [];
  let seconds = 0;
  let quarantineRecords = 0;

  beforeAll(async () => {
    const policy = shippedPolicy('default.yaml');
    const table = await tables.create();
    const clock = new ManualClock(at('2026-11-23T10:00:00-05:00'));
    const mailer = new RecordingMailer();
    const rawMail = new InMemoryRawMailStore();
    const deps: IngestEmailDeps = {
      policy,
      sla: new SlaClock(policy),
      store: table.store,
      rawMail,
      attachments: new InMemoryAttachmentStore(),
      mailer,
      renderer: await HandlebarsNotificationRenderer.load(),
      clock,
      timers: new RecordingTimers(),
      surveyLinks: new SignedSurveyLinks({
        secret: SURVEY_SECRET,
        baseUrl: 'https://support.example.test',
        policy: policy,
        clock: clock,
      }),
      statusLinks: new SignedStatusLinks({
        secret: SURVEY_SECRET,
        baseUrl: 'https://support.example.test',
        policy: policy,
        clock: clock,
      }),
    };
    const started = performance.now();
    // Sequential and in manifest order: corpus messages may thread into each other's tickets.
    for (const [index, entry] of readCorpusManifest().entries()) {
      const rawKey = `inbound/corpus-${index}`;
      await rawMail.put(rawKey, readCorpusMessage(entry));
      const sentBefore = mailer.sent.length;
      let result: IngestResult | null = null;
      let error: unknown = null;
      try {
        result = await ingestEmail(deps, { receiptKey: `corpus-${index}`, rawKey, recipients: RECIPIENTS });
      } catch (thrown) {
        error = thrown;
      }
      const number = result !== null && 'ticketNumber' in result ? result.ticketNumber : null;
      const stored =
        number === null
          ? null
          : ((await table.store.listMessages(number)).find(
              (message) => message.rawKey === rawKey && message.direction === 'inbound',
            ) ?? null);
      const requester =
        result?.outcome === 'created' ? ((await table.store.getTicket(result.ticketNumber))?.requester ?? null) : null;
      const sentTo = mailer.sent
        .slice(sentBefore)
        .flatMap((mail) => [...mail.to, ...(mail.cc ?? [])].map((address) => address.address.toLowerCase()));
      processed.push({ entry, result, error, requester, stored, sentTo });
      clock.advance(STEP);
    }
    seconds = (performance.now() - started) / 1000;
    quarantineRecords = (await table.store.listQuarantine()).length;
  }, 180_000);

  afterAll(() => {
    const outcomes = new Map<string, number>();
    for (const { result } of processed) {
      const key =
        result === null
          ? 'threw'
          : result.outcome === 'quarantined'
            ? `quarantined (${result.reason})`
            : result.outcome === 'threaded'
              ? `threaded (${result.via})`
              : result.outcome;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    const lines = [...outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => `  ${key}: ${count}`);
    const agreement = (['from', 'subject', 'has_attachments'] as const).map((field) => {
      const { compared, disagreements } = compareStored(processed, field);
      return `  ${field}: ${compared - disagreements.length}/${compared} agree, ${Object.keys(EXCEPTIONS[field]).length} excepted`;
    });
    console.info(
      `corpus ingest: ${processed.length} messages in ${seconds.toFixed(1)} s\n${lines.join('\n')}\nstored vs expected:\n${agreement.join('\n')}`,
    );
  });

  it('turns every one of the 400 messages into a result; only the known product bugs throw', () => {
    const thrown = Object.fromEntries(
      processed
        .filter(({ error }) => error !== null)
        .map(({ entry, error }) => [entry.file, isAtendeError(error) ? error.code : describeError(error)]),
    );

    expect(processed).toHaveLength(400);
    // Anything else that throws shows up here with its code; describeError gives the details.
    expect(thrown).toEqual(KNOWN_CRASHES);
    expect(Object.keys(KNOWN_CRASH_REASONS).sort()).toEqual([...new Set(Object.values(KNOWN_CRASHES))].sort());
  });

  it('stores every message it does not quarantine on the ticket its result names, and a record for every quarantined one', () => {
    // A duplicate is a mail seen before (the corpus repeats Message-IDs from one sender): nothing new is stored, by design.
    const answered = processed.filter(
      ({ result }) => result !== null && result.outcome !== 'quarantined' && result.outcome !== 'duplicate',
    );
    const unstored = answered
      .filter(({ stored }) => stored === null)
      .map(({ entry, result }) => `${entry.file}: ${JSON.stringify(result)}`);

    expect(unstored).toEqual([]);
    expect(quarantineRecords).toBe(processed.filter(({ result }) => result?.outcome === 'quarantined').length);
  });

  it.each(['from', 'subject', 'has_attachments'] as const)(
    'stores the %s the corpus expects, wherever it gives one and a message was stored',
    (field) => {
      const { compared, disagreements } = compareStored(processed, field);

      expect(compared).toBeGreaterThan(0);
      expect(disagreements).toEqual([]);
    },
  );

  it('still differs from the corpus where the exceptions say, so that a fix retires them', () => {
    const retired = (Object.entries(EXCEPTIONS) as [CheckedField, Record<string, string>][]).flatMap(([field, files]) =>
      Object.keys(files)
        .filter((file) => {
          const item = processed.find(({ entry }) => entry.file === file);
          // Nothing stored, nothing to compare: the exception is then moot, and listed as such.
          if (item?.stored == null) return true;
          const { expected } = item.entry;
          if (field === 'from') return item.stored.from.toLowerCase() === (expected.from ?? '').toLowerCase();
          if (field === 'subject')
            return collapseWhitespace(item.stored.subject) === collapseWhitespace(expected.subject ?? '');
          return item.stored.attachments.length > 0 === expected.has_attachments;
        })
        .map((file) => `${field} ${file}`),
    );

    expect(retired).toEqual([]);
  });

  it('never sends anything to the sender of a bounce or an automatic reply, nor acknowledges one', () => {
    const automatic = processed.filter(({ entry }) => entry.expected.is_bounce || entry.expected.is_auto_reply);
    const answered = automatic.flatMap(({ entry, result, stored, sentTo }) => {
      const senders = new Set(
        [entry.expected.from, stored?.from]
          .filter((address): address is string => typeof address === 'string' && address !== '')
          .map((address) => address.toLowerCase()),
      );
      const problems = sentTo
        .filter((address) => senders.has(address))
        .map((address) => `${entry.file}: mail sent to its sender ${address}`);
      if (result !== null && 'sent' in result && result.sent.includes('acknowledgement'))
        problems.push(`${entry.file}: acknowledged (${result.outcome})`);
      return problems;
    });

    expect(automatic).toHaveLength(85);
    expect(answered).toEqual([]);
  });

  it('never opens a ticket from a bounce', () => {
    const opened = processed
      .filter(({ entry, result }) => entry.expected.is_bounce && result?.outcome === 'created')
      .map(({ entry, result }) => `${entry.file}: ${JSON.stringify(result)}`);

    expect(opened).toEqual([]);
  });
});

const describeError = (error: unknown): string =>
  isAtendeError(error)
    ? `${error.code} ${JSON.stringify(error.details)}`
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);

/**
 * Compares one field of the stored inbound messages with the corpus expectation, where the
 * corpus gives one and the message was stored (and is not a listed exception).
 */
function compareStored(
  processed: readonly Processed[],
  field: CheckedField,
): { compared: number; disagreements: string[] } {
  let compared = 0;
  const disagreements: string[] = [];
  for (const { entry, stored, requester } of processed) {
    const expected = entry.expected[field];
    // "" as From means none at all: the sender then comes from a fallback header, which the corpus does not judge.
    if (
      stored === null ||
      expected === null ||
      (field === 'from' && expected === '') ||
      entry.file in EXCEPTIONS[field]
    )
      continue;
    compared += 1;
    if (field === 'from' && typeof expected === 'string') {
      const wanted = expected.toLowerCase();
      if (stored.from.toLowerCase() !== wanted)
        disagreements.push(
          `${entry.file}: message from ${JSON.stringify(stored.from)}, expected ${JSON.stringify(wanted)}`,
        );
      if (requester !== null && requester.toLowerCase() !== wanted)
        disagreements.push(`${entry.file}: requester ${JSON.stringify(requester)}, expected ${JSON.stringify(wanted)}`);
    } else if (field === 'subject' && typeof expected === 'string') {
      // Subjects longer than STORED_SUBJECT_LIMIT are kept to their start (with "…"); the raw mail keeps all of it.
      const cut = stored.subject.length > STORED_SUBJECT_LIMIT && stored.subject.endsWith('…');
      const agrees = cut
        ? collapseWhitespace(expected).startsWith(collapseWhitespace(stored.subject.slice(0, -1)))
        : collapseWhitespace(stored.subject) === collapseWhitespace(expected);
      if (!agrees) {
        disagreements.push(
          `${entry.file}: subject ${JSON.stringify(collapseWhitespace(stored.subject))}, expected ${JSON.stringify(collapseWhitespace(expected))}`,
        );
      }
    } else if (field === 'has_attachments' && stored.attachments.length > 0 !== expected) {
      disagreements.push(
        `${entry.file}: ${stored.attachments.length} attachments stored, expected ${expected ? 'some' : 'none'}`,
      );
    }
  }
  return { compared, disagreements };
}
