/**
 * Linear time on hostile input: whole messages of each shape that once made a stage quadratic
 * (issue 7 §2), through ingestEmail with in-memory ports, at 50, 100 and 200 thousand
 * characters of body. A linear stage takes about twice as long for twice the input: the
 * figure to watch is `ratio` (time at 200k / time at 100k), which a quadratic stage puts near 4.
 * Each time is the best of a few runs, so that another process on the machine weighs less.
 */

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../lib/adapters/clock/manual-clock.ts';
import { InMemoryAttachmentStore } from '../lib/adapters/memory/in-memory-attachment-store.ts';
import { InMemoryRawMailStore } from '../lib/adapters/memory/in-memory-raw-mail-store.ts';
import { InMemoryTicketStore } from '../lib/adapters/memory/in-memory-ticket-store.ts';
import { RecordingMailer } from '../lib/adapters/memory/recording-mailer.ts';
import { RecordingTimers } from '../lib/adapters/memory/recording-timers.ts';
import { loadPolicyFile } from '../lib/adapters/policy-file.ts';
import { HandlebarsNotificationRenderer } from '../lib/adapters/templates/handlebars-notification-renderer.ts';
import { ingestEmail } from '../lib/application/ingest-email.ts';
import { SignedStatusLinks } from '../lib/application/signed-status-links.ts';
import { SignedSurveyLinks } from '../lib/application/signed-survey-links.ts';
import { SlaClock } from '../lib/domain/sla/sla-schedule.ts';
import { saveReport } from './bench-report.ts';

/** Signs the survey links of the mail this run sends (never followed). */
const SURVEY_SECRET = Buffer.from('survey links of this run, signed but never followed');

const SIZES = [50_000, 100_000, 200_000];
const RUNS = Number(process.env['BENCH_HOSTILE_RUNS'] ?? 3);

/** The body of each shape, about `chars` characters long; the stage it once made quadratic in the name. */
const SHAPES: Record<string, (chars: number) => string> = {
  'one token (conduct check)': (chars) => 'a'.repeat(chars),
  'key label then spaces (secret masking)': (chars) => `api_key${' '.repeat(chars)}x`,
  'JWT starts (secret masking)': (chars) => 'eyJ-'.repeat(chars / 4),
  'angle bracket then addresses (secret masking)': (chars) => `<${'a@'.repeat(chars / 2)}`,
  'short labelled passwords (secret masking)': (chars) => 'pw:1 '.repeat(chars / 5),
  'URL parameter of dots (secret masking)': (chars) => `?token=a${'.'.repeat(chars)}b`,
  '"From" then spaces (quoted history)': (chars) => `From${' '.repeat(chars)}x`,
  'password labels on every line (secret masking)': (chars) => 'Password:\nx1!\n'.repeat(chars / 14),
};

const policy = await loadPolicyFile();
const renderer = await HandlebarsNotificationRenderer.load();
const rawMail = new InMemoryRawMailStore();
const deps = {
  policy,
  sla: new SlaClock(policy),
  store: new InMemoryTicketStore(),
  rawMail,
  attachments: new InMemoryAttachmentStore(),
  mailer: new RecordingMailer(),
  renderer,
  clock: new ManualClock(Date.parse('2026-11-23T15:00:00Z')),
  timers: new RecordingTimers(),
  surveyLinks: new SignedSurveyLinks({
    secret: SURVEY_SECRET,
    baseUrl: 'https://support.example.test',
    policy,
    clock: { now: () => Date.parse('2026-11-23T15:00:00Z') },
  }),
  statusLinks: new SignedStatusLinks({
    secret: SURVEY_SECRET,
    baseUrl: 'https://support.example.test',
    policy,
    clock: { now: () => Date.parse('2026-11-23T15:00:00Z') },
  }),
};

let events = 0;
async function ingestMs(body: string): Promise<number> {
  const key = `hostile-${++events}`;
  const raw = `From: Ana <ana${events}@customer.example>\r\nTo: servicedesk@example.com\r\nSubject: Hostile ${events}\r\nMessage-ID: <${key}@customer.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;
  await rawMail.put(`inbound/${key}`, Buffer.from(raw));
  const started = performance.now();
  await ingestEmail(deps, { receiptKey: key, rawKey: `inbound/${key}`, recipients: ['servicedesk@example.com'] });
  return performance.now() - started;
}

const shapes: Record<string, Record<string, number>> = {};
for (const [name, body] of Object.entries(SHAPES)) {
  const figures: Record<string, number> = {};
  for (const size of SIZES) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) times.push(await ingestMs(body(size)));
    figures[`ms@${size / 1000}k`] = Math.round(Math.min(...times));
  }
  figures['ratio'] = Number((figures['ms@200k']! / Math.max(1, figures['ms@100k']!)).toFixed(1));
  shapes[name] = figures;
}

saveReport('hostile-sizes', { runs: RUNS, load1m: Number(loadavg()[0]!.toFixed(2)), shapes });
