/**
 * POST /tickets per second on the local stack (issue 10: at 16 concurrent clients, target at
 * least 200/s). A fresh `atende start` (its own data directory and free ports, DynamoDB Local
 * on disk as `npm start` keeps it, the SES emulator inside the stack's process) takes distinct
 * customers' JSON posts (en/es/pt) from 16 keep-alive clients: a warm-up, then a fixed count,
 * measured. Each post is signed with ATENDE_WEBFORM_SECRET, which a company's backend does and
 * which skips the per-IP limit (100 an hour) that would otherwise refuse most of them. Printed:
 * requests/s and latency percentiles, answers by status, CPU per request of each process, and
 * afterwards a count of the tickets (every 201's number read back from DynamoDB Local) and of
 * their acknowledgements in the outbox.
 *
 * BENCH_WEBFORM_COUNT sets the measured posts (default 2000); BENCH_WEBFORM_CPU_PROF=<dir>
 * starts the stack under `node --cpu-prof` and leaves its profile in that directory.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClientConfig } from '../lib/adapters/dynamodb/dynamodb-local.ts';
import { DynamoDbTicketStore } from '../lib/adapters/dynamodb/dynamodb-ticket-store.ts';
import { LOCAL_TABLE_NAME } from '../lib/adapters/local/local-stack-config.ts';
import { readOutbox } from '../lib/adapters/mail/outbox.ts';
import { startLocalStackProcess } from '../test/support/local-stack-process.ts';
import { percentile, saveReport } from './bench-report.ts';
import { childProcessIds, cpuPerOperationByProcess, processCommand, processesCpuSnapshot } from './cpu-usage.ts';
import { pooled } from './ingest-floor.ts';
import { type PlannedPost, type PostAnswer, planPosts, SignedTicketPoster } from './web-form-posts.ts';

// The AWS SDK's notice that its 2027 releases need Node 22 is noise in a benchmark's output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const COUNT = Number(process.env['BENCH_WEBFORM_COUNT'] ?? 2_000);
const WARM_UP = 200;
const CONCURRENCY = 16;
const SEED = 20_261_210;
const TARGET_PER_SECOND = 200;
const PROFILE_DIRECTORY = process.env['BENCH_WEBFORM_CPU_PROF'];

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const load = () => loadavg().map((average) => round(average, 2));

/** One post, what it got back, and when its answer came (milliseconds into the run). */
interface Posted {
  readonly post: PlannedPost;
  readonly answer: PostAnswer;
  readonly answeredAt: number;
}

/** Every post of `posts` from `CONCURRENCY` clients pulling from one queue; the seconds the whole took. */
const postAll = async (poster: SignedTicketPoster, posts: readonly PlannedPost[]) => {
  const posted: Posted[] = [];
  const started = performance.now();
  await pooled(posts.length, CONCURRENCY, async (index) => {
    const post = posts[index]!;
    const answer = await poster.post(post);
    posted.push({ post, answer, answeredAt: performance.now() - started });
  });
  return { posted, seconds: (performance.now() - started) / 1000 };
};

/**
 * Requests per second over each quarter of the run's answers: a rate that falls from quarter to
 * quarter says a request costs more the more tickets there are (something on the path grows).
 */
const ratesByQuarter = (posted: readonly Posted[]): number[] => {
  const times = posted.map(({ answeredAt }) => answeredAt).sort((a, b) => a - b);
  const quarter = Math.floor(times.length / 4);
  return [0, 1, 2, 3].map((index) => {
    const from = index === 0 ? 0 : times[index * quarter - 1]!;
    const to = times[index === 3 ? times.length - 1 : (index + 1) * quarter - 1]!;
    const answers = index === 3 ? times.length - 3 * quarter : quarter;
    return round(answers / ((to - from) / 1000));
  });
};

const countBy = (values: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
};

const secret = randomBytes(32).toString('hex');
const loadBefore = load();
const stack = await startLocalStackProcess(
  { ATENDE_WEBFORM_SECRET: secret },
  { nodeArguments: PROFILE_DIRECTORY === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIRECTORY}`] },
);
const { environment } = stack;
const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(`http://127.0.0.1:${environment.ATENDE_DDB_PORT}`));
const poster = new SignedTicketPoster(`http://127.0.0.1:${environment.ATENDE_HTTP_PORT}`, secret, CONCURRENCY);
try {
  const stackPid = stack.child.pid;
  if (stackPid === undefined) throw new Error('the local stack has no process id');
  const javaPid = childProcessIds(stackPid).find((pid) => processCommand(pid) === 'java');
  const pids: Record<string, number> = {
    'stack (node: HTTP, use cases, SES emulator)': stackPid,
    ...(javaPid === undefined ? {} : { 'DynamoDB Local (java)': javaPid }),
    'bench clients (node)': process.pid,
  };

  // JIT, DynamoDB Local and the emulator warm up on posts of their own, checked below like the rest.
  const warmUp = await postAll(poster, planPosts({ run: 'warm', count: WARM_UP, seed: SEED + 1 }));
  const before = processesCpuSnapshot(pids);
  const measured = await postAll(poster, planPosts({ run: 'bench', count: COUNT, seed: SEED }));
  const cpu = cpuPerOperationByProcess(before, processesCpuSnapshot(pids), COUNT);
  // What the CPU per post allows if the stack and DynamoDB Local had every core of the machine to themselves.
  const stackCpuMs = Object.entries(cpu.cpuMsPerOperation)
    .filter(([name]) => name !== 'bench clients (node)')
    .reduce((sum, [, ms]) => sum + (ms ?? 0), 0);
  const cpuCeiling = round((cpus().length * 1000) / stackCpuMs);
  const loadAfter = load();

  // Afterwards, counted rather than sampled: every 201 is a ticket of its requester, and that requester has its acknowledgement.
  const all = [...warmUp.posted, ...measured.posted];
  const opened = all.filter(({ answer }) => answer.status === 201);
  const numbers = opened.map(({ answer }) => answer.number);
  const store = new DynamoDbTicketStore({ client: dynamodb, tableName: LOCAL_TABLE_NAME });
  let ticketsFound = 0;
  await pooled(opened.length, 8, async (index) => {
    const { post, answer } = opened[index]!;
    const ticket = answer.number === null ? null : await store.getTicket(answer.number);
    if (ticket !== null && ticket.requester === post.email) ticketsFound += 1;
  });
  const outbox = await readOutbox(environment.ATENDE_DATA_DIR);
  const acknowledged = new Set(
    outbox
      .filter((mail) => mail.headers['Auto-Submitted'] === 'auto-replied')
      .flatMap((mail) => mail.to.map((to) => `${to.address} ${/#(\d+)\]/.exec(mail.subject)?.[1] ?? ''}`)),
  );
  const acknowledgements = opened.filter(({ post, answer }) => acknowledged.has(`${post.email} ${answer.number}`));

  const latencies = measured.posted.map(({ answer }) => answer.ms).sort((a, b) => a - b);
  const perSecond = round(COUNT / measured.seconds);
  const p99 = round(percentile(latencies, 0.99));
  const checks = {
    posts: all.length,
    answered201: opened.length,
    distinctTicketNumbers: new Set(numbers).size,
    ticketsFoundWithTheirRequester: ticketsFound,
    acknowledgementsInOutbox: acknowledgements.length,
    outboxRecords: outbox.length,
  };
  const complete =
    opened.length === all.length &&
    checks.distinctTicketNumbers === all.length &&
    ticketsFound === all.length &&
    acknowledgements.length === all.length;

  saveReport('web-form-throughput', {
    setup: {
      posts: COUNT,
      warmUpPosts: WARM_UP,
      concurrentClients: CONCURRENCY,
      keepAlive: true,
      seed: SEED,
      locales: countBy(measured.posted.map(({ post }) => post.locale)),
      stack:
        '`atende start` as a child process: fresh data directory, free ports, DynamoDB Local on disk (its own JVM), SES emulator inside the stack process, default policy',
      signing:
        'every post signed with ATENDE_WEBFORM_SECRET (X-Atende-Signature): signed posts skip the per-IP limit (100/h), as a backend posting for its customers does; each post from its own address, so the per-address limit is not what is measured',
      ...(PROFILE_DIRECTORY === undefined ? {} : { cpuProfileOfTheStack: PROFILE_DIRECTORY }),
    },
    load1m: { before: loadBefore[0], after: loadAfter[0] },
    loadavgAfter: loadAfter,
    requestsPerSecond: perSecond,
    seconds: round(measured.seconds, 2),
    requestsPerSecondByQuarter: ratesByQuarter(measured.posted),
    latencyMs: {
      p50: round(percentile(latencies, 0.5)),
      p95: round(percentile(latencies, 0.95)),
      p99,
      max: round(latencies[latencies.length - 1] ?? Number.NaN),
    },
    answersByStatus: countBy(
      measured.posted.map(({ answer }) => (answer.status === 0 ? 'no answer' : String(answer.status))),
    ),
    errors: measured.posted.filter(({ answer }) => answer.status !== 201).length,
    cpu: {
      ...cpu,
      note: 'the SES emulator runs inside the stack process: its CPU is in the stack figure',
      [`requests/s the stack's CPU per post allows on ${cpus().length} free cores`]: cpuCeiling,
    },
    afterwards: { ...checks, complete },
    targets: {
      [`POST /tickets at ${CONCURRENCY} clients >= ${TARGET_PER_SECOND}/s`]: {
        measured: perSecond,
        p99Ms: p99,
        met: perSecond >= TARGET_PER_SECOND,
        cpuCeilingOnThisMachine: cpuCeiling,
        shortBy: round(Math.max(0, TARGET_PER_SECOND - perSecond)),
      },
    },
  });
  if (!complete) process.exitCode = 1;
} finally {
  poster.close();
  dynamodb.destroy();
  const code = await stack.stop();
  if (code !== 0) console.error(`the local stack exited with ${code}:\n${stack.output()}`);
  await rm(environment.ATENDE_DATA_DIR, { recursive: true, force: true });
}
