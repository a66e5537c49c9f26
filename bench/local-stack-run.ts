/**
 * One run of the local-stack ingest benchmark: a fresh `atende start` (its own data directory
 * and free ports), the corpus sent over SMTP by `concurrency` keep-alive sessions, timed from
 * each message's end of DATA, and afterwards every ticket, message and acknowledgement looked
 * up in DynamoDB Local, the outbox and the SES emulator.
 */
import { rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClientConfig } from '../lib/adapters/dynamodb/dynamodb-local.ts';
import { DynamoDbTicketStore } from '../lib/adapters/dynamodb/dynamodb-ticket-store.ts';
import { LOCAL_TABLE_NAME } from '../lib/adapters/local/local-stack-config.ts';
import { readEmulatorStore } from '../lib/adapters/mail/ses-emulator.ts';
import { loadPolicyFile } from '../lib/adapters/policy-file.ts';
import { findTicketTag } from '../lib/domain/mail/subject.ts';
import { startLocalStackProcess } from '../test/support/local-stack-process.ts';
import { percentile } from './bench-report.ts';
import {
  childProcessIds,
  cpuPerOperationByProcess,
  peakResidentMb,
  processCommand,
  processesCpuSnapshot,
} from './cpu-usage.ts';
import { pooled } from './ingest-floor.ts';
import { buildRawMail, type PlannedKind, type PlannedMail, planCorpus } from './ingest-mail-generator.ts';
import { type ObservedAcknowledgement, OutboxTail } from './outbox-tail.ts';
import { emulatorCpuOfReplay } from './ses-emulator-share.ts';
import { type SmtpDelivery, SmtpSession } from './smtp-session.ts';

export interface StackRunOptions {
  readonly count: number;
  readonly concurrency: number;
  readonly seed: number;
  /** New-ticket mails sent first from senders of their own, not measured (checked like the rest). */
  readonly warmUp: number;
  readonly minParentDistance: number;
  /** How long a mail may wait for its ticket's acknowledgement before it counts as missing. */
  readonly acknowledgementTimeoutMs: number;
  /** Start the stack under `node --cpu-prof`, its profile written here when it stops. */
  readonly profileDirectory?: string;
}

const SUPPORT_ADDRESS = 'servicedesk@example.com';
export const STACK_PROCESS = 'stack (node: SMTP, use cases, SES emulator)';
export const DYNAMODB_PROCESS = 'DynamoDB Local (java)';
export const BENCH_PROCESS = 'bench clients (node)';

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const load = () => loadavg().map((average) => round(average, 2));

const percentiles = (samples: readonly number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
};

/** Warm-up mail: new tickets of the corpus under senders and Message-IDs of their own, so nothing of the measured plan meets them. */
const warmUpPlan = (options: StackRunOptions): PlannedMail[] =>
  planCorpus({ count: 200, seed: options.seed + 1, minParentDistance: options.minParentDistance })
    .filter((mail) => mail.kind === 'new')
    .slice(0, options.warmUp)
    .map((mail) => ({
      ...mail,
      sender: { ...mail.sender, address: `warm-up-${mail.sender.address}` },
      messageId: mail.messageId.replace('<bench-', '<warm-up-'),
    }));

/** One sent mail: the plan's entry, what the server answered, and the acknowledgement its bytes answered. */
interface Sent {
  readonly mail: PlannedMail;
  readonly delivery: SmtpDelivery;
}

export async function runLocalStackIngest(options: StackRunOptions) {
  const plan = planCorpus({ count: options.count, seed: options.seed, minParentDistance: options.minParentDistance });
  const warmUp = warmUpPlan(options);
  const loadBefore = load();
  const stack = await startLocalStackProcess(
    {},
    {
      nodeArguments:
        options.profileDirectory === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.profileDirectory}`],
    },
  );
  const { environment } = stack;
  const tail = new OutboxTail(environment.ATENDE_DATA_DIR);
  tail.start();
  const sessions: SmtpSession[] = [];
  const dynamodb = new DynamoDBClient(localDynamoDbClientConfig(`http://127.0.0.1:${environment.ATENDE_DDB_PORT}`));
  try {
    const stackPid = stack.child.pid;
    if (stackPid === undefined) throw new Error('the local stack has no process id');
    const javaPid = childProcessIds(stackPid).find((pid) => processCommand(pid) === 'java');
    const pids: Record<string, number> = {
      [STACK_PROCESS]: stackPid,
      ...(javaPid === undefined ? {} : { [DYNAMODB_PROCESS]: javaPid }),
      [BENCH_PROCESS]: process.pid,
    };
    const port = Number(environment.ATENDE_SMTP_PORT);
    for (let index = 0; index < options.concurrency; index += 1) sessions.push(await SmtpSession.open(port));

    /** Sends `mails` from the sessions, each pulling the next; an answer first waits for its ticket's acknowledgement. */
    const sendAll = async (mails: readonly PlannedMail[]): Promise<Sent[]> => {
      const sent: Sent[] = [];
      let next = 0;
      await Promise.all(
        sessions.map(async (session) => {
          for (let index = next++; index < mails.length; index = next++) {
            const mail = mails[index]!;
            const parent = mail.parent === null ? null : plan[mail.parent]!;
            const acknowledgement =
              parent === null ? null : await tail.acknowledgementOf(parent.messageId, options.acknowledgementTimeoutMs);
            const raw = buildRawMail(
              mail,
              acknowledgement === null
                ? null
                : { messageId: acknowledgement.record.messageId, subject: acknowledgement.record.subject },
            );
            const delivery = await session.deliver({ from: mail.sender.address, to: [SUPPORT_ADDRESS] }, raw);
            sent.push({ mail, delivery });
          }
        }),
      );
      return sent;
    };
    const acknowledgementsOf = (mails: readonly PlannedMail[]) =>
      Promise.all(
        mails
          .filter((mail) => mail.parent === null)
          .map(async (mail) => ({
            mail,
            seen: await tail.acknowledgementOf(mail.messageId, options.acknowledgementTimeoutMs),
          })),
      );

    // JIT, DynamoDB Local and the emulator warm up on mail of its own, settled before the clock starts.
    const warmUpSent = await sendAll(warmUp);
    const warmUpAcknowledged = await acknowledgementsOf(warmUp);

    const recordsBefore = await tail.catchUp();
    const before = processesCpuSnapshot(pids);
    const started = performance.now();
    const sent = await sendAll(plan);
    const acknowledged = await acknowledgementsOf(plan);
    // Settled: every mail answered and every acknowledgement in the outbox (sent before the 250 today, but not assumed).
    const settledAt = Math.max(
      ...sent.map(({ delivery }) => delivery.answeredAt),
      ...acknowledged.map(({ seen }) => seen?.seenAt ?? 0),
    );
    const after = processesCpuSnapshot(pids);
    const cpu = cpuPerOperationByProcess(before, after, plan.length);
    const peakRssMb = Object.fromEntries(
      Object.entries(pids)
        .filter(([name]) => name !== BENCH_PROCESS)
        .map(([name, pid]) => [name, peakResidentMb(pid)]),
    );
    const loadAfter = load();

    const checks = await checkSettled({
      plan,
      sent,
      acknowledged,
      warmUpSent,
      warmUpAcknowledged,
      store: new DynamoDbTicketStore({ client: dynamodb, tableName: LOCAL_TABLE_NAME }),
      sesEndpoint: `http://127.0.0.1:${environment.ATENDE_SES_PORT}`,
      outboxRecords: () => tail.records().length,
    });
    // The mail of the measured part, sent again to an emulator of its own: its share of the stack's CPU.
    await tail.catchUp();
    const measuredMail = tail.records().slice(recordsBefore);
    const emulatorCpuMs = await emulatorCpuOfReplay(measuredMail, options.concurrency);
    const stackCpuMs = cpu.cpuMsPerOperation[STACK_PROCESS] ?? null;
    const emulatorPerMessage = emulatorCpuMs === null ? null : round(emulatorCpuMs / plan.length, 2);
    // What the CPU per message allows if the stack and DynamoDB Local had every core to themselves.
    const serverCpuMs = (stackCpuMs ?? 0) + (cpu.cpuMsPerOperation[DYNAMODB_PROCESS] ?? 0);
    const seconds = (settledAt - started) / 1000;
    const deliveries = new Map(sent.map(({ mail, delivery }) => [mail, delivery]));
    const latencies = acknowledged.flatMap(({ mail, seen }) => {
      const delivery = deliveries.get(mail);
      return seen === null || delivery === undefined ? [] : [seen.seenAt - delivery.dataEndAt];
    });
    return {
      mails: plan.length,
      concurrency: options.concurrency,
      warmUpMails: warmUp.length,
      load1m: { before: loadBefore[0], after: loadAfter[0] },
      loadavgAfter: loadAfter,
      seconds: round(seconds, 2),
      messagesPerSecond: round(plan.length / seconds),
      dataEndToAcknowledgementMs: percentiles(latencies),
      dataEndTo250Ms: percentiles(sent.map(({ delivery }) => delivery.answeredAt - delivery.dataEndAt)),
      cpu,
      /** Messages/s the stack's and DynamoDB Local's CPU per message allow on the machine's cores, were they free. */
      cpuCeilingMessagesPerSecond: round((cpus().length * 1000) / serverCpuMs),
      sesEmulatorApart: {
        sends: measuredMail.length,
        cpuMsPerMessage: emulatorPerMessage,
        stackWithoutEmulatorCpuMsPerMessage:
          emulatorPerMessage === null || stackCpuMs === null ? null : round(stackCpuMs - emulatorPerMessage, 2),
      },
      peakRssMb,
      checks,
    };
  } finally {
    for (const session of sessions) await session.close().catch(() => {});
    await tail.stop().catch(() => {});
    dynamodb.destroy();
    const code = await stack.stop();
    if (code !== 0) console.error(`the local stack exited with ${code}:\n${stack.output()}`);
    await rm(environment.ATENDE_DATA_DIR, { recursive: true, force: true });
  }
}

export type StackRunFigures = Awaited<ReturnType<typeof runLocalStackIngest>>;

interface SettledQuery {
  readonly plan: readonly PlannedMail[];
  readonly sent: readonly Sent[];
  readonly acknowledged: readonly { mail: PlannedMail; seen: ObservedAcknowledgement | null }[];
  readonly warmUpSent: readonly Sent[];
  readonly warmUpAcknowledged: readonly { mail: PlannedMail; seen: ObservedAcknowledgement | null }[];
  readonly store: DynamoDbTicketStore;
  readonly sesEndpoint: string;
  readonly outboxRecords: () => number;
}

/**
 * Counted, not sampled: each new ticket's acknowledgement names its number; that ticket is the
 * sender's and holds, as inbound messages, the mail that opened it and every reply, follow-up
 * and out-of-office answer planned for it; the SES emulator holds every acknowledgement.
 */
async function checkSettled(query: SettledQuery) {
  const { brand } = await loadPolicyFile();
  const allSent = [...query.warmUpSent, ...query.sent];
  const allAcknowledged = [...query.warmUpAcknowledged, ...query.acknowledged];
  const numberOf = new Map<string, number>();
  for (const { mail, seen } of allAcknowledged) {
    const number = seen === null ? null : findTicketTag(seen.record.subject, brand.tag);
    if (number !== null) numberOf.set(mail.messageId, number);
  }
  const answersOf = new Map<string, PlannedMail[]>();
  for (const mail of query.plan)
    if (mail.parent !== null) {
      const parent = query.plan[mail.parent]!.messageId;
      answersOf.set(parent, [...(answersOf.get(parent) ?? []), mail]);
    }

  let ticketsFound = 0;
  let messagesFound = 0;
  const threaded: Partial<Record<PlannedKind, number>> = {};
  const opened = allAcknowledged.map(({ mail }) => mail);
  await pooled(opened.length, 8, async (index) => {
    const mail = opened[index]!;
    const number = numberOf.get(mail.messageId);
    if (number === undefined) return;
    const [ticket, messages] = await Promise.all([query.store.getTicket(number), query.store.listMessages(number)]);
    if (ticket?.requester !== mail.sender.address) return;
    ticketsFound += 1;
    const inbound = new Set(
      messages.filter((message) => message.direction === 'inbound').map((message) => message.messageId),
    );
    if (inbound.has(mail.messageId)) messagesFound += 1;
    for (const answer of answersOf.get(mail.messageId) ?? [])
      if (inbound.has(answer.messageId)) {
        messagesFound += 1;
        threaded[answer.kind] = (threaded[answer.kind] ?? 0) + 1;
      }
  });
  const inEmulator = new Set((await readEmulatorStore(query.sesEndpoint)).map((mail) => mail.messageId));
  const acknowledgements = allAcknowledged.flatMap(({ seen }) => (seen === null ? [] : [seen.record]));
  const answers = query.plan.filter((mail) => mail.parent !== null);
  const expected = {
    mails: allSent.length,
    answered250: allSent.filter(({ delivery }) => delivery.code === 250).length,
    tickets: opened.length,
    ticketsFoundWithTheirRequester: ticketsFound,
    inboundMessages: query.plan.length + query.warmUpSent.length,
    inboundMessagesFoundOnTheirTicket: messagesFound,
    answers: Object.fromEntries(
      (['reply', 'follow-up', 'auto-reply'] as const).map((kind) => [
        kind,
        `${threaded[kind] ?? 0} of ${answers.filter((mail) => mail.kind === kind).length} threaded`,
      ]),
    ),
    acknowledgementsInOutbox: acknowledgements.length,
    acknowledgementsInSesEmulator: acknowledgements.filter((record) => inEmulator.has(record.emulatorId)).length,
    outboxRecords: query.outboxRecords(),
  };
  const complete =
    expected.answered250 === expected.mails &&
    ticketsFound === opened.length &&
    messagesFound === expected.inboundMessages &&
    expected.acknowledgementsInOutbox === opened.length &&
    expected.acknowledgementsInSesEmulator === opened.length;
  return { ...expected, complete };
}
