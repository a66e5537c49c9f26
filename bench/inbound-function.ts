/**
 * The inbound function as Lambda runs it (issue 12): the bundle built exactly as it deploys
 * (bundleFunction), imported by a fresh `node` per instance with the environment the stack gives
 * it, its SDK calls answered by DynamoDB Local (the table as the stack defines it) and
 * moto_server (S3 for the raw mail, SES v2 for sending, Scheduler, Secrets Manager for the link
 * key), invoked with SES receipt events for raw mail put in S3 first, one event at a time.
 *
 * Figures: cold start (Node's bootstrap, import of index.mjs, first message) against 400 ms;
 * warm wall and CPU time per typical message (~2 KB plain text, new tickets and replies) against
 * 15 ms of CPU; peak RSS and heap for 1 KB, 1 MB and 25 MB mails; AWS calls per message, counted
 * on the wire, with 1,000, 10,000 and 100,000 tickets already in the table (≤ 4 DynamoDB requests,
 * constant); and the duration and cost of the memory settings Lambda offers, from these figures.
 * aws-cost.ts prices Lambda time with this bench's newest result.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { bundleFunction } from '../infra/bundling/function-bundling.ts';
import { localDynamoDbClientConfig, startDynamoDbLocal } from '../lib/adapters/dynamodb/dynamodb-local.ts';
import { DynamoDbTicketStore } from '../lib/adapters/dynamodb/dynamodb-ticket-store.ts';
import { createTicketTable } from '../lib/adapters/dynamodb/ticket-table.ts';
import { startMotoServer } from '../test/support/moto-server.ts';
import { LAMBDA_MEMORY_MB } from './aws-prices.ts';
import { type RequestTally, startRequestTally } from './aws-request-tally.ts';
import { percentile, saveReport } from './bench-report.ts';
import { type BenchMail, sesReceiptEvent, sizedMail, typicalNewTicket, typicalReply } from './inbound-function-mail.ts';
import { memorySettings } from './lambda-memory-settings.ts';
import { type LambdaInvocation, type LambdaProcess, startLambdaProcess } from './lambda-process.ts';
import { type PreloadedTicket, preloadTickets } from './ticket-preload.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const SEED = 20_261_204;
const COLD_STARTS = Number(process.env['BENCH_LAMBDA_COLD_STARTS'] ?? 5);
const WARM_UP = 20;
const WARM_MESSAGES = Number(process.env['BENCH_LAMBDA_WARM_MESSAGES'] ?? 240);
const SCALE_MESSAGES = Number(process.env['BENCH_LAMBDA_SCALE_MESSAGES'] ?? 100);
const TABLE_SIZES = (process.env['BENCH_LAMBDA_TABLE_SIZES'] ?? '1000,10000,100000').split(',').map(Number);
const SIZES: readonly [string, number][] = [
  ['1KB', 1_000],
  ['1MB', 1_000_000],
  ['25MB', 25_000_000],
];
/** A folder for CPU profiles (`node --cpu-prof`) of the cold-start instances: where their time goes. Off by default: profiling slows them. */
const PROFILE_DIRECTORY = process.env['BENCH_LAMBDA_PROFILE'];
const TARGET = { warmCpuMs: 15, coldStartMs: 400, dynamodbRequests: 4 } as const;

const REGION = 'us-east-1';
const BUCKET = 'atende-bench-mail';
const PREFIX = 'inbound/';
const SCHEDULE_GROUP = 'atende-bench';
const MEMORY_MB = LAMBDA_MEMORY_MB.inbound;

const loadNow = () => loadavg().map((load) => Math.round(load * 100) / 100);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const p95 = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.95,
  );
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const spread = (values: readonly number[]) => ({
  median: round(median(values)),
  p95: round(p95(values)),
  mean: round(mean(values)),
});

console.log(`load before: ${loadNow().join(' ')}`);
const folder = await mkdtemp(join(tmpdir(), 'atende-bench-inbound-'));
const dynamodb = await startDynamoDbLocal();
const moto = await startMotoServer();
const tallies: RequestTally[] = [];
const motoConfig = {
  endpoint: moto.endpoint,
  region: REGION,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  forcePathStyle: true,
};
const tableClient = new DynamoDBClient(localDynamoDbClientConfig(dynamodb.endpoint));
const s3 = new S3Client(motoConfig);

try {
  const bundle = await bundleFunction('inbound-email', join(folder, 'inbound-email'));
  console.log(`bundled ${bundle.file} (${Math.round(bundle.bytes / 1024)} KiB)`);
  // The profiles name minified functions: the source map beside them turns them back into sources.
  if (PROFILE_DIRECTORY !== undefined) await cp(`${bundle.file}.map`, join(PROFILE_DIRECTORY, 'index.mjs.map'));

  // What the stack creates around the function, in moto.
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const ses = new SESClient(motoConfig);
  // Like SES out of the sandbox for a verified domain: moto sends only from a verified identity.
  await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'servicedesk@example.com' }));
  ses.destroy();
  const scheduler = new SchedulerClient(motoConfig);
  await scheduler.send(new CreateScheduleGroupCommand({ Name: SCHEDULE_GROUP }));
  scheduler.destroy();
  const secrets = new SecretsManagerClient(motoConfig);
  const secretArn = (
    await secrets.send(
      new CreateSecretCommand({
        Name: 'atende-link-signing',
        SecretString: 'the link signing key of the bench, 32+ bytes',
      }),
    )
  ).ARN!;
  secrets.destroy();

  /** The stack's environment for the inbound function (atende-stack.ts `shared`, support-function.ts), and what Lambda's runtime sets. */
  const environment = (
    tableName: string,
    endpoints: { dynamodb: string; moto: string },
    nodeOptions: string | undefined = '--enable-source-maps',
  ): Record<string, string> => ({
    ATENDE_TABLE_NAME: tableName,
    ATENDE_RAW_MAIL_BUCKET: BUCKET,
    ATENDE_RAW_MAIL_PREFIX: PREFIX,
    ATENDE_ATTACHMENT_BUCKET: BUCKET,
    ATENDE_SCHEDULE_GROUP: SCHEDULE_GROUP,
    ATENDE_TIMER_FUNCTION_ARN: `arn:aws:lambda:${REGION}:123456789012:function:atende-timer`,
    ATENDE_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/atende-scheduler',
    ATENDE_TIMER_DEAD_LETTER_ARN: `arn:aws:sqs:${REGION}:123456789012:atende-timer-dead-letters`,
    ATENDE_SURVEY_SECRET_ARN: secretArn,
    ATENDE_PUBLIC_URL: 'https://support.example.test',
    ...(nodeOptions === '' || nodeOptions === undefined ? {} : { NODE_OPTIONS: nodeOptions }),
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: 'atende-inbound-email',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(MEMORY_MB),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    TZ: ':UTC',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.moto,
    AWS_ENDPOINT_URL_SESV2: endpoints.moto,
    AWS_ENDPOINT_URL_SCHEDULER: endpoints.moto,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.moto,
    AWS_S3_FORCE_PATH_STYLE: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const direct = { dynamodb: dynamodb.endpoint, moto: moto.endpoint };

  const newTable = async (name: string) => {
    await createTicketTable(tableClient, name);
    return { name, store: new DynamoDbTicketStore({ client: tableClient, tableName: name }) };
  };
  type Table = Awaited<ReturnType<typeof newTable>>;

  /** Puts the raw mail where SES's S3 action would, then invokes the function with its receipt event. */
  const deliver = async (lambda: LambdaProcess, mail: BenchMail, options: { sampleHeap?: boolean } = {}) => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${mail.sesMessageId}`, Body: mail.raw }));
    const invoked = await lambda.invoke(sesReceiptEvent(mail, new Date()), options);
    if (invoked.error !== undefined)
      throw new Error(`${mail.sesMessageId}: ${invoked.error.name}: ${invoked.error.message}`);
    return { invoked, outcome: outcomeOf(invoked) };
  };
  /** The acknowledgement's Message-ID (SES's id) a customer's client quotes when it replies to a new ticket. */
  const acknowledgementOf = async (table: Table, ticketNumber: number) => {
    const messages = await table.store.listMessages(ticketNumber);
    const acknowledgement = messages.find((message) => message.purpose === 'acknowledgement');
    const ticket = await table.store.getTicket(ticketNumber);
    // None when the policy held it back (acknowledgements are rate-limited per sender).
    return acknowledgement?.messageId == null || ticket === null
      ? null
      : { ticket, acknowledgementId: acknowledgement.messageId };
  };

  /**
   * A stream of typical mail: mostly new tickets, and replies to tickets this stream opened
   * (answering the acknowledgement as a mail client does); `known` are senders already in the table.
   */
  const typicalStream = (table: Table, seed: number) => {
    const opened: number[] = [];
    let position = 0;
    const next = async (known?: readonly PreloadedTicket[]): Promise<{ mail: BenchMail; kind: string }> => {
      position += 1;
      const roll = (position * 7) % 10;
      if (roll < 4 && opened.length > 0) {
        const answered = await acknowledgementOf(table, opened.splice((position * 13) % opened.length, 1)[0]!);
        if (answered !== null)
          return { mail: typicalReply(position, seed, answered.ticket, answered.acknowledgementId), kind: 'reply' };
      }
      if (known !== undefined && known.length > 0 && roll >= 8) {
        const ticket = known[(position * 31) % known.length]!;
        if (roll === 8 && ticket.acknowledgementId !== null)
          return { mail: typicalReply(position, seed, ticket, ticket.acknowledgementId), kind: 'reply-to-preloaded' };
        return {
          mail: typicalNewTicket(position, seed, { address: ticket.requester, name: ticket.requesterName ?? 'Known' }),
          kind: 'new-known-sender',
        };
      }
      return { mail: typicalNewTicket(position, seed), kind: 'new' };
    };
    /** A ticket the function opened can be answered later in the stream. */
    const record = (outcome: Outcome) => {
      if (outcome.outcome === 'created' && outcome.ticketNumber !== null) opened.push(outcome.ticketNumber);
    };
    return { next, record };
  };

  // 1. Cold starts: a fresh instance per start, its first message a typical new ticket.
  const warmTable = await newTable('bench-inbound-warm');
  const colds: { ready: LambdaProcess['ready']; first: LambdaInvocation }[] = [];
  for (let start = 0; start < COLD_STARTS; start += 1) {
    const lambda = await startLambdaProcess(
      bundle.file,
      environment(warmTable.name, direct),
      MEMORY_MB,
      PROFILE_DIRECTORY === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIRECTORY}`],
    );
    const { invoked } = await deliver(lambda, typicalNewTicket(start, SEED + 1));
    colds.push({ ready: lambda.ready, first: invoked });
    await lambda.stop();
  }
  const coldTotal = colds.map(({ ready, first }) => ready.bootMs + ready.importMs + first.wallMs);
  const coldStart = {
    instances: COLD_STARTS,
    bootMs: spread(colds.map(({ ready }) => ready.bootMs)),
    importMs: spread(colds.map(({ ready }) => ready.importMs)),
    importCpuMs: spread(colds.map(({ ready }) => ready.importCpuMs)),
    firstMessageMs: spread(colds.map(({ first }) => first.wallMs)),
    firstMessageCpuMs: spread(colds.map(({ first }) => first.cpuMs)),
    totalMs: spread(coldTotal),
    totalCpuMs: spread(colds.map(({ ready, first }) => ready.cpuAtReadyMs + first.cpuMs)),
    spawnToReadyMs: spread(colds.map(({ ready }) => ready.spawnToReadyMs)),
    rssAfterImportMb: round(median(colds.map(({ ready }) => ready.rssAfterImportMb)), 1),
  };
  console.log(
    `cold start (median of ${COLD_STARTS}): boot ${coldStart.bootMs.median} + import ${coldStart.importMs.median} + first message ${coldStart.firstMessageMs.median} = ${coldStart.totalMs.median} ms (target ≤ ${TARGET.coldStartMs}); load ${loadNow()[0]}`,
  );

  // 2. Warm: one instance, typical messages one after another.
  const warmRun = async (nodeOptions?: string) => {
    const lambda = await startLambdaProcess(
      bundle.file,
      environment(warmTable.name, direct, nodeOptions),
      MEMORY_MB,
      PROFILE_DIRECTORY === undefined || nodeOptions !== undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIRECTORY}/warm`],
    );
    const stream = typicalStream(warmTable, SEED + (nodeOptions === undefined ? 2 : 3));
    const samples: { kind: string; outcome: string; wallMs: number; cpuMs: number; bytes: number }[] = [];
    const loadBefore = loadNow()[0]!;
    let logBytesBefore = 0;
    for (let index = 0; index < WARM_UP + WARM_MESSAGES; index += 1) {
      if (index === WARM_UP) logBytesBefore = lambda.logBytes();
      const { mail, kind } = await stream.next();
      const { invoked, outcome } = await deliver(lambda, mail);
      stream.record(outcome);
      if (index >= WARM_UP)
        samples.push({
          kind,
          outcome: outcome.outcome,
          wallMs: invoked.wallMs,
          cpuMs: invoked.cpuMs,
          bytes: mail.raw.byteLength,
        });
    }
    const logBytes = lambda.logBytes() - logBytesBefore;
    await lambda.stop();
    return { samples, loadBefore, loadAfter: loadNow()[0]!, logBytesPerMessage: Math.round(logBytes / WARM_MESSAGES) };
  };
  const warm = await warmRun();
  const byKind = (samples: typeof warm.samples) =>
    Object.fromEntries(
      [...new Set(samples.map(({ kind }) => kind))].map((kind) => {
        const of = samples.filter((sample) => sample.kind === kind);
        return [
          kind,
          {
            messages: of.length,
            outcomes: [...new Set(of.map(({ outcome }) => outcome))],
            wallMs: spread(of.map(({ wallMs }) => wallMs)),
            cpuMs: spread(of.map(({ cpuMs }) => cpuMs)),
            billedMsMean: round(mean(of.map(({ wallMs }) => Math.ceil(wallMs)))),
          },
        ];
      }),
    );
  const warmFigures = {
    messages: warm.samples.length,
    afterWarmUp: WARM_UP,
    meanBytes: Math.round(mean(warm.samples.map(({ bytes }) => bytes))),
    load: { before: warm.loadBefore, after: warm.loadAfter },
    wallMs: spread(warm.samples.map(({ wallMs }) => wallMs)),
    cpuMs: spread(warm.samples.map(({ cpuMs }) => cpuMs)),
    /** Lambda bills each invocation's duration rounded up to the millisecond. */
    billedMsMean: round(mean(warm.samples.map(({ wallMs }) => Math.ceil(wallMs)))),
    /** What the function logs per message (JSON lines and EMF metrics on stdout): CloudWatch Logs ingests it. */
    logBytesPerMessage: warm.logBytesPerMessage,
    byKind: byKind(warm.samples),
  };
  console.log(
    `warm (${warm.samples.length} typical messages, ~${warmFigures.meanBytes} B): CPU median ${warmFigures.cpuMs.median} ms, p95 ${warmFigures.cpuMs.p95} ms (target ≤ ${TARGET.warmCpuMs}); wall median ${warmFigures.wallMs.median} ms, p95 ${warmFigures.wallMs.p95} ms; load ${warm.loadBefore} → ${warm.loadAfter}`,
  );
  // The same without --enable-source-maps (the stack sets it): what it costs per message.
  const withoutSourceMaps = await warmRun('');
  const sourceMapFigures = {
    cpuMs: spread(withoutSourceMaps.samples.map(({ cpuMs }) => cpuMs)),
    wallMs: spread(withoutSourceMaps.samples.map(({ wallMs }) => wallMs)),
  };
  console.log(
    `warm without NODE_OPTIONS=--enable-source-maps: CPU median ${sourceMapFigures.cpuMs.median} ms, p95 ${sourceMapFigures.cpuMs.p95} ms`,
  );

  // 3. Memory: per size, a fresh instance takes a typical message, then the sized one.
  const memory: Record<string, unknown> = {};
  const peaks: { bytes: number; peakRssMb: number; wallMs: number; cpuMs: number }[] = [];
  for (const [label, bytes] of SIZES) {
    const lambda = await startLambdaProcess(bundle.file, environment(warmTable.name, direct), MEMORY_MB);
    const { invoked: typical } = await deliver(lambda, typicalNewTicket(1, SEED + 4 + bytes));
    const mail = sizedMail(label, bytes);
    const { invoked, outcome } = await deliver(lambda, mail, { sampleHeap: true });
    await lambda.stop();
    peaks.push({
      bytes: mail.raw.byteLength,
      peakRssMb: invoked.peakRssMb,
      wallMs: invoked.wallMs,
      cpuMs: invoked.cpuMs,
    });
    memory[label] = {
      rawBytes: mail.raw.byteLength,
      outcome: outcome.outcome,
      wallMs: round(invoked.wallMs, 1),
      cpuMs: round(invoked.cpuMs, 1),
      peakRssMb: round(invoked.peakRssMb, 1),
      peakRssBeforeMb: round(typical.peakRssMb, 1),
      heapUsedPeakMb: round(invoked.heapUsedPeakMb, 1),
    };
    console.log(`memory ${label}: ${JSON.stringify(memory[label])}`);
  }

  // 4. Requests per message as the table grows: preloaded with copies of a ticket the function opened.
  const template = await (async () => {
    const first = 1000;
    const ticket = await warmTable.store.getTicket(first);
    const receipt = await warmTable.store.getReceipt(`bench${SEED + 1}new0`);
    if (ticket === null || receipt === null) throw new Error('the cold start opened no ticket to copy');
    return { ticket, messages: await warmTable.store.listMessages(first), receipt };
  })();
  const scaleTable = await newTable('bench-inbound-scale');
  const dynamodbTally = await startRequestTally(dynamodb.endpoint);
  const motoTally = await startRequestTally(moto.endpoint);
  tallies.push(dynamodbTally, motoTally);
  const scale: Record<string, unknown> = {};
  const perMessageCalls: Record<number, Map<string, number>> = {};
  let preloaded: PreloadedTicket[] = [];
  for (const size of TABLE_SIZES) {
    const began = performance.now();
    preloaded = preloaded.concat(
      await preloadTickets(tableClient, scaleTable.name, template, {
        count: size - preloaded.length,
        requesterPool: Math.max(1, Math.floor(size / 4)),
        seed: SEED + size,
        now: Date.now(),
      }),
    );
    const preloadSeconds = (performance.now() - began) / 1000;
    const open = preloaded.filter(({ status }) => status !== 'closed' && status !== 'resolved');
    const lambda = await startLambdaProcess(
      bundle.file,
      environment(scaleTable.name, { dynamodb: dynamodbTally.endpoint, moto: motoTally.endpoint }),
      MEMORY_MB,
    );
    const stream = typicalStream(scaleTable, SEED + 10 + size);
    const calls = new Map<string, number>();
    const dynamodbPerMessage: number[] = [];
    const kinds = new Map<string, { counts: number[]; calls: Map<string, number> }>();
    dynamodbTally.take();
    motoTally.take();
    for (let index = 0; index < SCALE_MESSAGES; index += 1) {
      const { mail, kind } = await stream.next(open);
      // The raw mail is put by "SES" (this process, through moto's tally): not the function's call.
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}${mail.sesMessageId}`, Body: mail.raw }));
      motoTally.take();
      const invoked = await lambda.invoke(sesReceiptEvent(mail, new Date()));
      if (invoked.error !== undefined) throw new Error(`${invoked.error.name}: ${invoked.error.message}`);
      stream.record(outcomeOf(invoked));
      const dynamodbCalls = dynamodbTally.take();
      const count = [...dynamodbCalls.values()].reduce((sum, value) => sum + value, 0);
      // The first message also reads the link key from Secrets Manager: a cold start's call, counted apart.
      for (const [name, value] of [...dynamodbCalls, ...motoTally.take()])
        calls.set(name, (calls.get(name) ?? 0) + value);
      dynamodbPerMessage.push(count);
      const ofKind = kinds.get(kind) ?? { counts: [], calls: new Map<string, number>() };
      ofKind.counts.push(count);
      for (const [name, value] of dynamodbCalls) ofKind.calls.set(name, (ofKind.calls.get(name) ?? 0) + value);
      kinds.set(kind, ofKind);
    }
    await lambda.stop();
    perMessageCalls[size] = calls;
    scale[String(size)] = {
      ticketsInTable: size,
      preloadSeconds: round(preloadSeconds, 1),
      messages: SCALE_MESSAGES,
      dynamodbRequestsPerMessage: round(mean(dynamodbPerMessage)),
      dynamodbRequestsMax: Math.max(...dynamodbPerMessage),
      byKind: Object.fromEntries(
        [...kinds].map(([kind, { counts, calls: byCommand }]) => [
          kind,
          {
            messages: counts.length,
            requests: round(mean(counts)),
            byCommand: Object.fromEntries(
              [...byCommand]
                .sort()
                .map(([name, value]) => [name.replace('dynamodb ', ''), round(value / counts.length)]),
            ),
          },
        ]),
      ),
      callsPerMessage: Object.fromEntries(
        [...calls].sort().map(([name, value]) => [name, round(value / SCALE_MESSAGES, 3)]),
      ),
    };
    console.log(
      `${size} tickets in the table (preloaded in ${round(preloadSeconds, 1)} s): ${round(mean(dynamodbPerMessage))} DynamoDB requests per message (max ${Math.max(...dynamodbPerMessage)}; target ≤ ${TARGET.dynamodbRequests}); load ${loadNow()[0]}`,
    );
    console.log(
      `  calls per message: ${JSON.stringify((scale[String(size)] as { callsPerMessage: unknown }).callsPerMessage)}`,
    );
    console.log(`  by kind: ${JSON.stringify((scale[String(size)] as { byKind: unknown }).byKind)}`);
  }

  // 5. Which memory setting: Lambda's duration and cost per message at each, from the figures above.
  // Priced per ticket opened (aws-cost.ts): the new-ticket mails' figures.
  const newTickets = warm.samples.filter(({ kind }) => kind === 'new');
  const waitMs = percentile(
    newTickets.map(({ wallMs, cpuMs }) => Math.max(0, wallMs - cpuMs)).sort((a, b) => a - b),
    0.1,
  );
  const settings = memorySettings({
    warmCpuMs: mean(newTickets.map(({ cpuMs }) => cpuMs)),
    waitMs,
    coldCpuMs: coldStart.totalCpuMs.median,
    peaks,
    chosenMb: MEMORY_MB,
  });
  console.table(settings.rows);
  console.log(settings.advice);

  const requestFigures = TABLE_SIZES.map(
    (size) => (scale[String(size)] as { dynamodbRequestsPerMessage: number }).dynamodbRequestsPerMessage,
  );
  saveReport('inbound-function', {
    setup: {
      bundle: `infra/bundling/function-bundling.ts bundleFunction('inbound-email'), ${Math.round(bundle.bytes / 1024)} KiB`,
      runtime: `node ${process.version} here (Lambda: nodejs22.x on arm64), a fresh process per instance, one event at a time`,
      services:
        'DynamoDB Local (in memory, own JVM) + moto_server (S3, SES v2, Scheduler, Secrets Manager) on loopback',
      environment: "the stack's (atende-stack.ts shared, NODE_OPTIONS=--enable-source-maps) and the runtime's",
      memoryMb: MEMORY_MB,
      typicalMail: 'plain text ~2 KB: new tickets (new senders) and replies to the acknowledgement',
    },
    coldStart,
    warm: warmFigures,
    warmWithoutSourceMaps: sourceMapFigures,
    memory,
    requestsByTableSize: scale,
    memorySettings: settings.rows,
    /** The model's waiting per mail: the 10th percentile of wall − CPU of the warm new-ticket mails. */
    memoryModelWaitMs: round(waitMs, 1),
    memoryAdvice: settings.advice,
    target: {
      [`warm CPU ≤ ${TARGET.warmCpuMs} ms per typical message (median)`]: {
        measured: warmFigures.cpuMs.median,
        met: warmFigures.cpuMs.median <= TARGET.warmCpuMs,
      },
      [`cold start ≤ ${TARGET.coldStartMs} ms (boot + import + first message, median)`]: {
        measured: coldStart.totalMs.median,
        met: coldStart.totalMs.median <= TARGET.coldStartMs,
      },
      [`DynamoDB requests ≤ ${TARGET.dynamodbRequests} per message, constant from ${TABLE_SIZES[0]} to ${TABLE_SIZES.at(-1)} tickets`]:
        {
          measured: requestFigures,
          met:
            Math.max(...requestFigures) <= TARGET.dynamodbRequests &&
            Math.max(...requestFigures) - Math.min(...requestFigures) <= 0.1,
        },
    },
  });
} finally {
  for (const tally of tallies) await tally.close();
  tableClient.destroy();
  s3.destroy();
  await moto.stop();
  await dynamodb.stop();
  await rm(folder, { recursive: true, force: true });
}

interface Outcome {
  readonly outcome: string;
  readonly ticketNumber: number | null;
}
function outcomeOf(invoked: LambdaInvocation): Outcome {
  const results = (invoked.result as { results?: { outcome?: string; ticketNumber?: number | null }[] } | undefined)
    ?.results;
  const [first] = results ?? [];
  return { outcome: first?.outcome ?? 'none', ticketNumber: first?.ticketNumber ?? null };
}
