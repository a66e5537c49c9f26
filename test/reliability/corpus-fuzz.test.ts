import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/adapters/clock/manual-clock.ts';
import { InMemoryAttachmentStore } from '../../lib/adapters/memory/in-memory-attachment-store.ts';
import { InMemoryRawMailStore } from '../../lib/adapters/memory/in-memory-raw-mail-store.ts';
import { InMemoryTicketStore } from '../../lib/adapters/memory/in-memory-ticket-store.ts';
import { RecordingMailer } from '../../lib/adapters/memory/recording-mailer.ts';
import { RecordingTimers } from '../../lib/adapters/memory/recording-timers.ts';
import { HandlebarsNotificationRenderer } from '../../lib/adapters/templates/handlebars-notification-renderer.ts';
import { type IngestEmailDeps, type IngestResult, ingestEmail } from '../../lib/application/ingest-email.ts';
import type { TicketStore } from '../../lib/application/ports/ticket-store.ts';
import { SignedStatusLinks } from '../../lib/application/signed-status-links.ts';
import { SignedSurveyLinks } from '../../lib/application/signed-survey-links.ts';
import { isAtendeError } from '../../lib/domain/atende-error.ts';
import type { InboundMail } from '../../lib/domain/mail/inbound-mail.ts';
import { type ClassificationContext, classifyInboundMail } from '../../lib/domain/mail/mail-classification.ts';
import { DEFAULT_MAIL_LIMITS } from '../../lib/domain/mail/mail-limits.ts';
import { parseInboundMail } from '../../lib/domain/mail/parse-inbound-mail.ts';
import { prepareRawMail } from '../../lib/domain/mail/prepare-raw-mail.ts';
import type { InboundVerdicts } from '../../lib/domain/routing/inbound-verdicts.ts';
import { supportAddresses } from '../../lib/domain/routing/support-routing.ts';
import { SlaClock } from '../../lib/domain/sla/sla-schedule.ts';
import {
  corpusManifestPath,
  corpusPresent,
  readCorpusManifest,
  readCorpusMessage,
} from '../support/corpus-manifest.ts';
import { applyMutations, type MutantPlan, sampleMutantPlans } from '../support/corpus-mutations.ts';
import { testTicketTables } from '../support/dynamodb-test-table.ts';
import { at, MINUTE, shippedPolicy } from '../support/policy-fixtures.ts';
import { printFigures, reliabilitySeed, sized } from '../support/reliability-size.ts';
import { HEADER_CONTROL, headerTextsWithControls } from '../support/stored-headers.ts';

/** Signs the survey links of the mail this run sends (never followed). */
const SURVEY_SECRET = Buffer.from('survey links of this run, signed but never followed');

if (!corpusPresent)
  console.warn(`corpus fuzz skipped: no ${corpusManifestPath} (set ATENDE_CORPUS_DIR to the corpus folder)`);

/**
 * Seeded mutations of the real-world corpus (test/support/corpus-mutations.ts) through the ingest
 * use case, which frames (prepareRawMail), parses (parseInboundMail) and classifies every one of
 * them before it decides (issue 7 §4). What may happen to a mutant: it is parsed, or refused with
 * an AtendeError `mail.*` that ingest turns into a quarantine record; ingest returns an outcome.
 * What may not: ingest throwing at all (a TypeError, a RangeError, a stack overflow; on AWS a
 * crash loop instead of a quarantine record), in which case the steps are run one by one to name
 * the one that threw; a message taking longer than the budget; a control character in anything
 * stored from a header or in a quarantine record.
 *
 * ATENDE_RELIABILITY_SEED replays a run; a failure names the mutant's plan, which `applyMutations`
 * turns back into the same bytes.
 */
const SEED = reliabilitySeed();
const MUTANTS = sized({ ci: 1_000, full: 10_000 });
/** The budget for one message, the whole ingest: a loaded 2-core machine stays far below it, a super-linear step does not. */
const BUDGET_MS = 2_000;
/** One mutant in this many goes to DynamoDB Local rather than the in-memory twin: the real store's limits too, at a cost CI can carry. */
const DYNAMODB_SHARE = 10;

/** What SES says, in turn: nothing, all passing, all failing (a verdict that stops mail before parsing would spare it the fuzz). */
const VERDICTS: readonly InboundVerdicts[] = [
  {},
  { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
  { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL', dmarcPolicy: 'NONE' },
];

type Step = 'prepare' | 'parse' | 'classify' | 'ingest';

interface Finding {
  readonly index: number;
  readonly plan: MutantPlan;
  readonly step: Step;
  readonly problem: string;
}

const describePlan = (plan: MutantPlan): string =>
  JSON.stringify(plan, (_, value: unknown) =>
    typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}…(${value.length})` : value,
  );

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);

/**
 * The step that throws on `raw` what ingest should have answered: framing, parsing (a refusal
 * `mail.*` is an answer), classification, or else the use case itself.
 */
async function failingStep(raw: Buffer, context: ClassificationContext): Promise<Step> {
  const refused = (error: unknown) => isAtendeError(error) && error.code.startsWith('mail.');
  try {
    prepareRawMail(raw, DEFAULT_MAIL_LIMITS);
  } catch (error) {
    if (!refused(error)) return 'prepare';
  }
  let mail: InboundMail;
  try {
    mail = await parseInboundMail(raw);
  } catch (error) {
    return refused(error) ? 'ingest' : 'parse';
  }
  try {
    classifyInboundMail(mail, context);
  } catch {
    return 'classify';
  }
  return 'ingest';
}

const tables = testTicketTables();
afterAll(() => tables.dropAll());

describe.skipIf(!corpusPresent)('the corpus, mutated', () => {
  it(
    `parses, classifies and ingests ${MUTANTS} mutants without a crash, each within ${BUDGET_MS} ms, nothing stored with a control character`,
    async () => {
      const policy = shippedPolicy('default.yaml');
      const messages = readCorpusManifest().map(readCorpusMessage);
      const plans = sampleMutantPlans(SEED, MUTANTS);
      const clock = new ManualClock(at('2026-11-23T10:00:00-05:00'));
      const mailer = new RecordingMailer();
      const renderer = await HandlebarsNotificationRenderer.load();
      const depsFor = (store: TicketStore): Omit<IngestEmailDeps, 'rawMail'> => ({
        policy,
        sla: new SlaClock(policy),
        store,
        attachments: new InMemoryAttachmentStore(),
        mailer,
        renderer,
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
      });
      // Shared across mutants, as a desk's store is: mutants of one message thread into each other's tickets.
      const memory = depsFor(new InMemoryTicketStore({ clock }));
      const dynamodb = depsFor((await tables.create()).store);
      const context = { ownAddresses: supportAddresses(policy) };

      const findings: Finding[] = [];
      const outcomes = new Map<string, number>();
      let slowest = { ms: 0, index: -1, kinds: '' };
      const perKind = new Map<string, { count: number; ms: number }>();
      let bytes = 0;
      let largest = 0;

      for (const [index, plan] of plans.entries()) {
        const raw = applyMutations(messages, plan);
        bytes += raw.length;
        largest = Math.max(largest, raw.length);
        // Each mutant's raw bytes in a store of their own, and sent mail forgotten: 10,000 mutants
        // kept in memory (1.4 GB) made the garbage collector, not ingest, the slowest step.
        const deps: IngestEmailDeps = {
          ...(index % DYNAMODB_SHARE === 0 ? dynamodb : memory),
          rawMail: new InMemoryRawMailStore(),
        };
        mailer.sent.length = 0;
        const key = `fuzz-${SEED}-${index}`;
        await deps.rawMail.put(key, raw);
        const started = performance.now();
        let result: IngestResult | null = null;
        try {
          result = await ingestEmail(deps, {
            receiptKey: key,
            rawKey: key,
            recipients: ['servicedesk@example.com'],
            verdicts: VERDICTS[index % VERDICTS.length],
          });
        } catch (error) {
          // Ingest must always answer; which step threw is found by running them one by one.
          findings.push({ index, plan, step: await failingStep(raw, context), problem: describeError(error) });
        }
        const ms = performance.now() - started;
        const kinds = plan.mutations.map((mutation) => mutation.kind).join('+');
        if (ms > slowest.ms) slowest = { ms, index, kinds };
        if (ms > BUDGET_MS) findings.push({ index, plan, step: 'ingest', problem: `took ${Math.round(ms)} ms` });
        for (const mutation of plan.mutations) {
          const spent = perKind.get(mutation.kind) ?? { count: 0, ms: 0 };
          perKind.set(mutation.kind, { count: spent.count + 1, ms: spent.ms + ms });
        }
        if (result) {
          const label = result.outcome === 'quarantined' ? `quarantined:${result.reason}` : result.outcome;
          outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
          if ('ticketNumber' in result && result.ticketNumber !== null) {
            const dirty = await headerTextsWithControls(deps.store, result.ticketNumber);
            if (dirty.length > 0)
              findings.push({
                index,
                plan,
                step: 'ingest',
                problem: `stored with control characters: ${JSON.stringify(dirty.slice(0, 3))}`,
              });
          }
        }
        clock.advance(MINUTE);
      }

      const quarantined = [...(await memory.store.listQuarantine()), ...(await dynamodb.store.listQuarantine())];
      const dirtyQuarantine = quarantined.filter(
        (record) =>
          HEADER_CONTROL.test(record.reason) ||
          Object.values(record.details).some((value) => typeof value === 'string' && HEADER_CONTROL.test(value)),
      );
      for (const record of dirtyQuarantine.slice(0, 5))
        findings.push({
          index: -1,
          plan: { message: -1, mutations: [] },
          step: 'ingest',
          problem: `quarantine record ${record.key} holds a control character: ${JSON.stringify(record.details).slice(0, 200)}`,
        });

      const { maxRSS } = process.resourceUsage();
      printFigures('corpus-fuzz', {
        seed: SEED,
        messages: plans.length,
        crashes: findings.filter((finding) => !finding.problem.startsWith('took')).length,
        overBudget: findings.filter((finding) => finding.problem.startsWith('took')).length,
        mib: Math.round(bytes / 2 ** 20),
        largestKiB: Math.round(largest / 1024),
        slowestMs: Math.round(slowest.ms),
        slowest: `#${slowest.index}:${slowest.kinds}`,
        peakRssMiB: Math.round(maxRSS / 1024),
      });
      process.stdout.write(`reliability corpus-fuzz outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}\n`);
      const cost = [...perKind].map(([kind, { count, ms }]) => `${kind}=${count}x${Math.round(ms / count)}ms`);
      process.stdout.write(`reliability corpus-fuzz mean ms by mutation: ${cost.join(' ')}\n`);
      if (slowest.index >= 0)
        process.stdout.write(`reliability corpus-fuzz slowest: ${describePlan(plans[slowest.index]!)}\n`);

      expect(
        findings.map(
          (finding) =>
            `#${finding.index} ${finding.step}: ${finding.problem.split('\n').slice(0, 4).join(' | ')}\n  plan ${describePlan(finding.plan)}`,
        ),
      ).toEqual([]);
    },
    sized({ ci: 240_000, full: 3_600_000 }),
  );
});
