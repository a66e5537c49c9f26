import { percentile } from './bench-report.ts';
import type { Measured } from './ingest-rig.ts';

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;

/** Latency percentiles in milliseconds. */
export const latency = (measured: readonly Measured[]) => {
  const sorted = measured.map((item) => item.ms).sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 0.5)), p99Ms: round(percentile(sorted, 0.99)) };
};

/** DynamoDB requests and sends per message of one kind: mean, max, and the mean per command. */
export const costOf = (measured: readonly Measured[]) => {
  const commands = new Map<string, number>();
  for (const { cost } of measured)
    for (const [name, count] of cost.requests) commands.set(name, (commands.get(name) ?? 0) + count);
  const outcomes = new Map<string, number>();
  for (const { outcome, sent } of measured) {
    const label = sent.length > 0 ? `${outcome} [${sent.join(', ')}]` : outcome;
    outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
  }
  const requestCounts = measured.map(({ cost }) => cost.requestCount);
  return {
    messages: measured.length,
    dynamodbRequestsMean: round(mean(requestCounts), 2),
    dynamodbRequestsMax: Math.max(...requestCounts),
    byCommand: Object.fromEntries(
      [...commands]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, count]) => [name.replace(/Command$/, ''), round(count / measured.length, 2)]),
    ),
    sendsMean: round(mean(measured.map(({ cost }) => cost.sends)), 2),
    outcomes: Object.fromEntries(outcomes),
    ...latency(measured),
  };
};

/** Where a message's time goes, in mean milliseconds: DynamoDB requests, sends, and the rest (parse, render, decisions). */
export const timeBreakdown = (measured: readonly Measured[]) => {
  const total = mean(measured.map(({ ms }) => ms));
  const dynamodb = mean(measured.map(({ cost }) => cost.requestMs));
  const send = mean(measured.map(({ cost }) => cost.sendMs));
  return {
    totalMs: round(total, 2),
    dynamodbMs: round(dynamodb, 2),
    sendMs: round(send, 2),
    otherMs: round(total - dynamodb - send, 2),
  };
};

/** The figures of one run: throughput, latency, and the costs per kind of message. */
export const runFigures = (measured: readonly Measured[], seconds: number, concurrency: number) => {
  const kinds = [...new Set(measured.map(({ kind }) => kind))].sort();
  return {
    concurrency,
    messages: measured.length,
    seconds: round(seconds, 2),
    messagesPerSecond: round(measured.length / seconds),
    ...latency(measured),
    dynamodbRequestsPerMessage: round(mean(measured.map(({ cost }) => cost.requestCount)), 2),
    sendsPerMessage: round(mean(measured.map(({ cost }) => cost.sends)), 2),
    meanTimePerMessage: timeBreakdown(measured),
    byKind: Object.fromEntries(kinds.map((kind) => [kind, costOf(measured.filter((item) => item.kind === kind))])),
  };
};

export { mean, round };
