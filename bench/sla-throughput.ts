/**
 * SLA computations per second for the default policy: the full schedule of a ticket
 * (first response, resolution, warnings, escalation levels) for random queues, priorities,
 * plans, regions and arrival times over a year, with and without pauses.
 */

import { performance } from 'node:perf_hooks';
import { loadPolicyFile } from '../lib/adapters/policy-file.ts';
import { SlaClock, type SlaRequest } from '../lib/domain/sla/sla-schedule.ts';
import { percentile, saveReport } from './bench-report.ts';
import { seededRandom } from './ingest-mail-generator.ts';

const policy = await loadPolicyFile();
const COUNT = Number(process.env['BENCH_SLA_COUNT'] ?? 20_000);

// A deterministic generator so runs compare.
const random = seededRandom(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const yearStart = Date.parse('2026-01-01T00:00:00Z');
const requests: SlaRequest[] = Array.from({ length: COUNT }, () => {
  const receivedAt = yearStart + Math.floor(random() * 365 * 24 * 3_600_000);
  const paused = random() < 0.3;
  return {
    queue: pick(policy.queues).name,
    priority: pick(policy.priorities.levels).name,
    plan: pick(policy.plans!.levels).name,
    region: random() < 0.3 ? pick(policy.regions).name : undefined,
    channel: pick(['email', 'web'] as const),
    receivedAt,
    pauses: paused ? [{ start: receivedAt + 3_600_000, end: receivedAt + 5 * 3_600_000 }] : [],
  };
});

function run(label: string, clockFor: () => SlaClock) {
  const samples: number[] = [];
  const started = performance.now();
  for (const request of requests) {
    const clock = clockFor();
    const before = performance.now();
    clock.schedule(request);
    samples.push((performance.now() - before) * 1000);
  }
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return {
    [label]: {
      computations: COUNT,
      perSecond: Math.round(COUNT / seconds),
      p50Microseconds: Math.round(percentile(samples, 0.5)),
      p99Microseconds: Math.round(percentile(samples, 0.99)),
    },
  };
}

const shared = new SlaClock(policy);
run('warm-up', () => shared);
saveReport('sla-throughput', {
  policy: 'policy/default.yaml',
  ...run('one clock per process (calendar day cache warm)', () => shared),
  ...run('new clock per ticket (cold cache, as on a Lambda cold start)', () => new SlaClock(policy)),
});
