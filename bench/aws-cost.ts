import { systemClock } from '../lib/adapters/clock/system-clock.ts';
import {
  CLOUDWATCH_LOGS_INGESTED_GB,
  DYNAMODB_READ_REQUEST_UNIT,
  DYNAMODB_WRITE_REQUEST_UNIT,
  formatPrice,
  LAMBDA_ARM64_GB_SECOND,
  LAMBDA_MEMORY_MB,
  LAMBDA_REQUEST,
  PRICE_REGION,
  PRICES_AS_OF,
  type Price,
  S3_GET_REQUEST,
  S3_PUT_REQUEST,
  S3_STORAGE_GB_MONTH,
  SCHEDULER_API_CALL,
  SCHEDULER_INVOCATION,
  SES_CHUNK_BYTES,
  SES_RECEIVED_CHUNK,
  SES_RECEIVED_MAIL,
  SES_SENT_ATTACHMENT_GB,
  SES_SENT_MAIL,
  SQS_REQUEST,
  unitPrice,
} from './aws-prices.ts';
import { saveReport } from './bench-report.ts';
import { newestInboundFunctionFigures } from './inbound-function-result.ts';
import { planMail } from './ingest-mail-generator.ts';
import { type Measured, startIngestBench } from './ingest-rig.ts';
import { mean, round } from './ingest-summary.ts';
import { typicalLife, unansweredLife } from './ticket-lives.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const TICKETS = Number(process.env['BENCH_COST_TICKETS'] ?? 400);
const SEED = 20_261_204;
const TARGET_USD_PER_1000 = 0.1;
/**
 * Share of inbound mails that find no warm instance. Lambda keeps an idle instance for minutes;
 * a desk of a few thousand tickets a month gets a mail every few minutes, so the estimate
 * assumes the worst: every one a cold start.
 */
const COLD_START_SHARE = 1;
const GB = 1024 ** 3;

/** One line of the estimate: how many of a billed unit a ticket uses, at which price, and where the figure comes from. */
interface CostLine {
  readonly item: string;
  readonly perTicket: number;
  readonly price: Price;
  readonly basis: string;
}

const usdPer1000 = (line: CostLine): number => line.perTicket * unitPrice(line.price) * 1_000;

const { rig, close } = await startIngestBench({
  name: 'cost',
  capacity: true,
});
/** New tickets only: the generator's mix filtered to first mails from new senders (plain, alternative, with an attachment). */
const newTickets = (count: number, seed: number) =>
  planMail({ count: count * 3, seed, minParentDistance: 1 })
    .filter((mail) => mail.kind === 'new')
    .slice(0, count);

try {
  // JIT, DynamoDB Local and the emulator warm up on tickets of their own, thrown away.
  await (await rig('cost-warm-up')).run(newTickets(60, SEED + 1), 1, systemClock);
  const plan = newTickets(TICKETS, SEED);
  const { measured, raws } = await (await rig('cost')).run(plan, 1, systemClock);
  const failed = measured.filter(({ outcome }) => !outcome.startsWith('created'));
  if (failed.length > 0) throw new Error(`${failed.length} mails did not open a ticket: ${failed[0]!.outcome}`);

  const per = (figure: (item: Measured) => number): number => mean(measured.map(figure));
  const rawBytes = mean(raws.map((raw) => raw.byteLength));
  const life = await typicalLife();
  const lifeCalls = life.total();
  const firedIn = (lived: typeof life) => lived.steps.filter(({ step }) => step.startsWith('fired')).length;
  const firings = firedIn(life);
  const unansweredFirings = firedIn(await unansweredLife());
  const openingCalls = per(({ cost }) => cost.timerCalls.put + cost.timerCalls.move + cost.timerCalls.remove);

  const reportedWriteUnits = per(({ cost }) => cost.writeCapacityUnits);
  const sizedWriteUnits = per(({ cost }) => cost.sizedWriteUnits);
  const measuredHere = `measured, ${measured.length} tickets`;
  // Lambda's view when inbound-function.ts has measured it (the deployed bundle in its own
  // process, on DynamoDB Local and moto_server); else this process's in-process wall time.
  const lambdaView = newestInboundFunctionFigures();
  // Lambda bills each invocation's duration rounded up to the millisecond.
  const inProcessMs = per(({ ms }) => Math.ceil(ms));
  const lambdaSetting = lambdaView?.settings.find(({ memoryMb }) => memoryMb === LAMBDA_MEMORY_MB.inbound) ?? null;
  const inboundMs = lambdaSetting === null ? inProcessMs : Math.ceil(lambdaSetting.warmMsPerMessage);
  const coldExtraMs =
    lambdaSetting === null ? 0 : Math.max(0, lambdaSetting.coldStartMs - lambdaSetting.warmMsPerMessage);
  const inboundBasis =
    lambdaView === null || lambdaSetting === null
      ? `${measuredHere}: wall time per mail in this process on DynamoDB Local + SES emulator, warm, no cold start (run inbound-function for Lambda's view)`
      : `measured by inbound-function on one core (${lambdaView.messages} warm new-ticket mails, ${lambdaView.source}), its CPU part stretched to the ${lambdaSetting.vcpu} vCPU of ${LAMBDA_MEMORY_MB.inbound} MB`;
  const lines: CostLine[] = [
    {
      item: `Lambda inbound (${LAMBDA_MEMORY_MB.inbound} MB × ${round(inboundMs, 1)} ms)`,
      perTicket: (LAMBDA_MEMORY_MB.inbound / 1024) * (inboundMs / 1000),
      price: LAMBDA_ARM64_GB_SECOND,
      basis: inboundBasis,
    },
    {
      item: `Lambda inbound cold starts (${LAMBDA_MEMORY_MB.inbound} MB × ${round(coldExtraMs, 0)} ms)`,
      perTicket: COLD_START_SHARE * (LAMBDA_MEMORY_MB.inbound / 1024) * (Math.ceil(coldExtraMs) / 1000),
      price: LAMBDA_ARM64_GB_SECOND,
      basis:
        lambdaSetting === null
          ? 'not measured: run inbound-function'
          : `measured by inbound-function (bootstrap + import + the first mail's extra time, median, stretched alike); assumed: every mail a cold start, as on a desk with minutes between mails (Lambda bills the INIT phase since August 2025)`,
    },
    { item: 'Lambda inbound requests', perTicket: 1, price: LAMBDA_REQUEST, basis: 'one invocation per mail' },
    {
      item: `Lambda timer (${LAMBDA_MEMORY_MB.timer} MB × ${firings} firings)`,
      perTicket: firings * (LAMBDA_MEMORY_MB.timer / 1024) * (inboundMs / 1000),
      price: LAMBDA_ARM64_GB_SECOND,
      basis: `assumed: the typical life's firings (${firings}; an unanswered ticket's: ${unansweredFirings}), each as long as an inbound mail`,
    },
    {
      item: 'Lambda timer requests',
      perTicket: firings,
      price: LAMBDA_REQUEST,
      basis: 'one per firing (typical life)',
    },
    {
      item: 'DynamoDB write request units',
      perTicket: Math.max(reportedWriteUnits, sizedWriteUnits),
      price: DYNAMODB_WRITE_REQUEST_UNIT,
      basis: `${measuredHere}: DynamoDB Local's units (${round(reportedWriteUnits, 1)}; transactions double, items by size), checked against the request items' own sizes (${round(sizedWriteUnits, 1)}; an update counts its key and values only)`,
    },
    {
      item: 'DynamoDB read request units',
      perTicket: per(({ cost }) => cost.readCapacityUnits),
      price: DYNAMODB_READ_REQUEST_UNIT,
      basis: `${measuredHere}: strongly consistent reads, at least 1 per request`,
    },
    {
      item: 'S3 PUT: raw mail by SES',
      perTicket: 1,
      price: S3_PUT_REQUEST,
      basis: "one per received mail (SES's S3 action; not in this process)",
    },
    {
      item: 'S3 PUT: attachments',
      perTicket: per(({ cost }) => cost.objectWrites),
      price: S3_PUT_REQUEST,
      basis: measuredHere,
    },
    {
      item: 'S3 GET: raw mail, attachments',
      perTicket: per(({ cost }) => cost.objectReads),
      price: S3_GET_REQUEST,
      basis: measuredHere,
    },
    {
      item: 'S3 storage, first month (GB)',
      perTicket: (rawBytes + per(({ cost }) => cost.objectBytesWritten)) / GB,
      price: S3_STORAGE_GB_MONTH,
      basis: `${measuredHere}: raw mail (${Math.round(rawBytes)} B) + attachments stored`,
    },
    {
      item: 'Scheduler API calls (opening mail)',
      perTicket: openingCalls,
      price: SCHEDULER_API_CALL,
      basis: `${measuredHere}; Create/Update/DeleteSchedule are not billed`,
    },
    {
      item: 'Scheduler API calls (whole life)',
      perTicket: lifeCalls.total,
      price: SCHEDULER_API_CALL,
      basis: `assumed: the typical life (${lifeCalls.put} put, ${lifeCalls.move} move, ${lifeCalls.remove} remove)`,
    },
    {
      item: 'Scheduler invocations',
      perTicket: firings,
      price: SCHEDULER_INVOCATION,
      basis: 'assumed: the typical life',
    },
    {
      item: 'CloudWatch Logs: inbound (GB)',
      perTicket: (lambdaView?.logBytesPerMessage ?? 0) / GB,
      price: CLOUDWATCH_LOGS_INGESTED_GB,
      basis:
        lambdaView === null
          ? 'not measured: run inbound-function'
          : `measured by inbound-function: ${lambdaView.logBytesPerMessage} B of JSON logs and EMF metrics per mail (Lambda's own START/END/REPORT lines not included)`,
    },
    {
      item: 'SQS (dead-letter queues)',
      perTicket: 0,
      price: SQS_REQUEST,
      basis: 'none in normal operation: only a failed asynchronous invocation lands there',
    },
  ];
  const sesLines: CostLine[] = [
    { item: 'SES mail received', perTicket: 1, price: SES_RECEIVED_MAIL, basis: 'one per mail' },
    {
      item: 'SES 256 KB chunks received',
      perTicket: mean(raws.map((raw) => Math.ceil(raw.byteLength / SES_CHUNK_BYTES))),
      price: SES_RECEIVED_CHUNK,
      basis: measuredHere,
    },
    {
      item: 'SES mail sent',
      perTicket: per(({ cost }) => cost.sends),
      price: SES_SENT_MAIL,
      basis: `${measuredHere}: acknowledgement, agents' notice`,
    },
    {
      item: 'SES attachments sent (GB)',
      perTicket: per(({ cost }) => cost.attachmentBytesSent) / GB,
      price: SES_SENT_ATTACHMENT_GB,
      basis: measuredHere,
    },
  ];

  const total = lines.reduce((sum, line) => sum + usdPer1000(line), 0);
  const sesTotal = sesLines.reduce((sum, line) => sum + usdPer1000(line), 0);
  printTable(lines, sesLines, total, sesTotal);

  const asFigures = (rows: readonly CostLine[]) =>
    Object.fromEntries(
      rows.map((line) => [
        line.item,
        {
          perTicket: significant(line.perTicket),
          price: formatPrice(line.price),
          usdPer1000Tickets: significant(usdPer1000(line)),
          basis: line.basis,
        },
      ]),
    );
  saveReport('aws-cost', {
    setup: {
      tickets: measured.length,
      seed: SEED,
      concurrency: 1,
      stack: 'DynamoDB Local (in memory, own JVM) + SES emulator via LocalMailer + in-memory raw mail and attachments',
      prices: `${PRICE_REGION}, on-demand, no free tier, as of ${PRICES_AS_OF} (bench/aws-prices.ts names each page)`,
      lambdaMemoryMb: LAMBDA_MEMORY_MB,
      note: 'Opening a ticket by mail, plus its timers over a typical life; the other mails of a life (agents answering, customer replies) are not in the total. In-process wall time is not Lambda time on AWS: no cold start, and DynamoDB on loopback.',
    },
    perTicketMeasured: {
      inboundMs: round(inboundMs, 2),
      inboundInProcessMs: round(inProcessMs, 2),
      inboundColdExtraMs: lambdaSetting === null ? null : round(coldExtraMs, 0),
      dynamodbRequests: round(
        per(({ cost }) => cost.requestCount),
        2,
      ),
      capacityUnitsByCommand: Object.fromEntries(
        [...new Set(measured.flatMap(({ cost }) => [...cost.capacityByCommand.keys()]))].sort().map((command) => [
          command.replace(/Command$/, ''),
          round(
            per(({ cost }) => cost.capacityByCommand.get(command) ?? 0),
            2,
          ),
        ]),
      ),
      requestsByCommand: Object.fromEntries(
        [...new Set(measured.flatMap(({ cost }) => [...cost.requests.keys()]))].sort().map((command) => [
          command.replace(/Command$/, ''),
          round(
            per(({ cost }) => cost.requests.get(command) ?? 0),
            2,
          ),
        ]),
      ),
      unreportedCapacity: per(({ cost }) => cost.unreportedCapacity),
      sends: round(
        per(({ cost }) => cost.sends),
        2,
      ),
      rawBytes: Math.round(rawBytes),
    },
    lines: asFigures(lines),
    ses: asFigures(sesLines),
    usdPer1000TicketsBeforeSes: significant(total),
    sesUsdPer1000Tickets: significant(sesTotal),
    target: {
      [`≤ $${TARGET_USD_PER_1000} per 1,000 tickets before SES fees`]: {
        estimated: significant(total),
        met: total <= TARGET_USD_PER_1000,
      },
    },
  });
} finally {
  await close();
}

/** Three significant digits: the estimate is no more precise than that. */
function significant(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(3));
}

function printTable(lines: readonly CostLine[], sesLines: readonly CostLine[], total: number, sesTotal: number): void {
  const row = (line: CostLine) =>
    [
      line.item.padEnd(40),
      String(significant(line.perTicket)).padStart(10),
      formatPrice(line.price).padEnd(52),
      `$${usdPer1000(line).toFixed(5)}`.padStart(10),
      `  ${line.basis}`,
    ].join(' ');
  const header = `${'item'.padEnd(40)} ${'per ticket'.padStart(10)} ${'price'.padEnd(52)} ${'$/1,000'.padStart(10)}   basis`;
  console.log(`\nEstimated AWS cost per 1,000 tickets (${PRICE_REGION}, on-demand, prices as of ${PRICES_AS_OF}):`);
  console.log(header);
  for (const line of lines) console.log(row(line));
  const met = total <= TARGET_USD_PER_1000 ? 'met' : 'NOT met';
  console.log(`${'total before SES'.padEnd(115)} $${total.toFixed(5)}   target ≤ $${TARGET_USD_PER_1000}: ${met}`);
  console.log('\nSES, shown apart (its fees do not depend on atende):');
  for (const line of sesLines) console.log(row(line));
  console.log(`${'SES total'.padEnd(115)} $${sesTotal.toFixed(5)}`);
  console.log(
    `\nPrice sources: ${[...new Set([...lines, ...sesLines].map(({ price }) => price.source))].join(', ')}\n`,
  );
}
