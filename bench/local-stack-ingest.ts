/**
 * The local stack as a user drives it (issue 12): the corpus of 200 mails (150 new tickets in
 * en/es/pt, 27 replies with our tag, 13 untagged follow-ups, 10 out-of-office answers; 2,000
 * in the same mix) sent over SMTP to a fresh `atende start` per run, at concurrency 1, 2 and 8.
 * Printed per run: messages/s until every mail is answered and every acknowledgement is in the
 * outbox; latency from each message's end of DATA to its acknowledgement in the outbox (and to
 * the 250); CPU per message of the stack's Node process, DynamoDB Local's JVM and the bench's
 * clients; peak RSS of each. Afterwards every ticket, message and acknowledgement is looked up
 * (DynamoDB Local, the outbox, the SES emulator's store): exit code 1 when any is missing.
 *
 * BENCH_STACK_RUNS chooses the runs as MAILSxCONCURRENCY (default `200x1,200x2,200x8,2000x8`;
 * mails in multiples of 200); BENCH_STACK_WARM_UP the unmeasured new tickets sent first to each
 * stack (default 20); BENCH_STACK_CPU_PROF=<dir> starts each stack under `node --cpu-prof` and
 * leaves its profile there.
 */
import { cpus } from 'node:os';
import { saveReport } from './bench-report.ts';
import {
  BENCH_PROCESS,
  DYNAMODB_PROCESS,
  runLocalStackIngest,
  STACK_PROCESS,
  type StackRunFigures,
} from './local-stack-run.ts';

// The AWS SDK's notice that its 2027 releases need Node 22 is noise in a benchmark's output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const RUN = /^(\d+)x(\d+)$/;
const runsAsked = (process.env['BENCH_STACK_RUNS'] ?? '200x1,200x2,200x8,2000x8').split(',').map((entry) => {
  const match = RUN.exec(entry.trim());
  const mails = Number(match?.[1]);
  const concurrency = Number(match?.[2]);
  if (match === null || mails <= 0 || mails % 200 !== 0 || concurrency < 1)
    throw new Error(`BENCH_STACK_RUNS: "${entry}" is not MAILSxCONCURRENCY with mails a multiple of 200 (e.g. 200x8)`);
  return { mails, concurrency };
});
const WARM_UP = Number(process.env['BENCH_STACK_WARM_UP'] ?? 20);
if (!Number.isInteger(WARM_UP) || WARM_UP < 0 || WARM_UP > 150)
  throw new Error(`BENCH_STACK_WARM_UP: "${process.env['BENCH_STACK_WARM_UP']}" is not a whole number from 0 to 150`);
const PROFILE_DIRECTORY = process.env['BENCH_STACK_CPU_PROF'];
const SEED = 20_261_204;
/** An answer comes at least this many mails after its ticket: with 8 sessions its acknowledgement is out by then. */
const MIN_PARENT_DISTANCE = 16;
const ACKNOWLEDGEMENT_TIMEOUT_MS = 30_000;
const TARGETS = { concurrency: 8, messagesPerSecond: 50, p99Ms: 1_000 } as const;

const runs: Record<string, StackRunFigures> = {};
for (const { mails, concurrency } of runsAsked) {
  const label = `${mails} mails, concurrency ${concurrency}`;
  console.log(`  ${label}: starting a fresh local stack…`);
  const figures = await runLocalStackIngest({
    count: mails,
    concurrency,
    seed: SEED,
    warmUp: WARM_UP,
    minParentDistance: MIN_PARENT_DISTANCE,
    acknowledgementTimeoutMs: ACKNOWLEDGEMENT_TIMEOUT_MS,
    ...(PROFILE_DIRECTORY === undefined ? {} : { profileDirectory: PROFILE_DIRECTORY }),
  });
  runs[label] = figures;
  const cpu = figures.cpu.cpuMsPerOperation;
  const latency = figures.dataEndToAcknowledgementMs;
  const atTarget = concurrency === TARGETS.concurrency;
  console.log(
    [
      `  ${label} (load ${figures.load1m.before} → ${figures.load1m.after}):`,
      `    ${figures.messagesPerSecond} msg/s${atTarget ? ` (target ≥ ${TARGETS.messagesPerSecond})` : ''}`,
      `    end of DATA → acknowledgement in the outbox: p50 ${latency.p50} ms, p95 ${latency.p95} ms, p99 ${latency.p99} ms${atTarget ? ` (target p99 ≤ ${TARGETS.p99Ms} ms)` : ''}`,
      `    CPU per message: stack ${cpu[STACK_PROCESS]} ms (of which the SES emulator ≈ ${figures.sesEmulatorApart.cpuMsPerMessage} ms, measured apart), DynamoDB Local ${cpu[DYNAMODB_PROCESS]} ms, bench clients ${cpu[BENCH_PROCESS]} ms; ${figures.cpu.coresBusy} of ${cpus().length} cores busy; that CPU allows ${figures.cpuCeilingMessagesPerSecond} msg/s on ${cpus().length} free cores`,
      `    peak RSS: stack ${figures.peakRssMb[STACK_PROCESS]} MB, DynamoDB Local ${figures.peakRssMb[DYNAMODB_PROCESS]} MB`,
      `    ${figures.checks.complete ? 'every ticket, message and acknowledgement found' : `MISSING: ${JSON.stringify(figures.checks)}`}`,
    ].join('\n'),
  );
}

const atTarget = Object.entries(runs).filter(([, figures]) => figures.concurrency === TARGETS.concurrency);
saveReport('local-stack-ingest', {
  setup: {
    corpus:
      'per 200 mails: 150 new tickets (en/es/pt; plain, multipart/alternative, or with a 3 KB PDF), 27 replies to the acknowledgement (our tag, In-Reply-To), 13 follow-ups (same sender and subject, no tag, no In-Reply-To), 10 out-of-office answers (Auto-Submitted)',
    seed: SEED,
    warmUpMailsPerStack: WARM_UP,
    stack:
      '`atende start` as a child process per run: fresh data directory, free ports, DynamoDB Local on disk (its own JVM), SES emulator inside the stack process, default policy',
    client:
      'one keep-alive SMTP session per concurrent sender (bench/smtp-session.ts); a reply, follow-up or out-of-office answer waits until its ticket is acknowledged',
    timing:
      'messages/s: from the first MAIL FROM to the moment every mail has its 250 and every acknowledgement is in the outbox; latency: from the end of DATA (final "." written) to the acknowledgement appearing in outbox.jsonl (followed with inotify)',
    cpuCeilingMessagesPerSecond:
      "the messages/s the stack's and DynamoDB Local's CPU per message allow were every core of the machine theirs",
    cpuNote:
      "the SES emulator runs inside the stack process: its CPU is in the stack figure; sesEmulatorApart sends the run's outbox again (same composer) to an emulator in a process of its own and reads that process's CPU",
    ...(PROFILE_DIRECTORY === undefined ? {} : { cpuProfilesOfTheStack: PROFILE_DIRECTORY }),
  },
  runs,
  targets: Object.fromEntries(
    atTarget.flatMap(([label, figures]) => [
      [
        `${label}: >= ${TARGETS.messagesPerSecond} messages/s`,
        { measured: figures.messagesPerSecond, met: figures.messagesPerSecond >= TARGETS.messagesPerSecond },
      ],
      [
        `${label}: p99 end of DATA → acknowledgement <= ${TARGETS.p99Ms} ms`,
        {
          measured: figures.dataEndToAcknowledgementMs.p99,
          met: figures.dataEndToAcknowledgementMs.p99 <= TARGETS.p99Ms,
        },
      ],
    ]),
  ),
});
if (Object.values(runs).some((figures) => !figures.checks.complete)) process.exitCode = 1;
