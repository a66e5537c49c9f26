/**
 * Timers planned per second: `planTicketTimers` over generated tickets (every queue, priority,
 * plan and region of the policy, arriving at random times over a year; new and unanswered, some
 * with a warning already sent, answered, waiting on the customer, reopened by the customer's
 * reply), and `ticketSchedule` (the plan's next timer as the one schedule a ticket holds) per
 * second, on the default policy and on the zenduit example (more queues, regional calendars).
 */

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadPolicyFile } from '../lib/adapters/policy-file.ts';
import { ticketSchedule } from '../lib/application/ticket-schedule.ts';
import type { Policy } from '../lib/domain/policy/policy-schema.ts';
import { SlaClock } from '../lib/domain/sla/sla-schedule.ts';
import type { Ticket } from '../lib/domain/ticket/ticket.ts';
import { changeStatus, newTicket, recordAgentReply } from '../lib/domain/ticket/ticket-lifecycle.ts';
import { planTicketTimers, timedTicket, timerKey } from '../lib/domain/ticket/ticket-timers.ts';
import { percentile, saveReport } from './bench-report.ts';
import { seededRandom } from './ingest-mail-generator.ts';

const COUNT = Number(process.env['BENCH_TIMER_COUNT'] ?? 20_000);
const HOUR = 3_600_000;
const POLICIES = ['policy/default.yaml', 'policy/examples/zenduit.yaml'];

// A deterministic generator so runs compare.
const random = seededRandom(7);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

type Standing = 'new' | 'new, warned' | 'answered' | 'waiting' | 'reopened';
const STANDINGS: readonly [Standing, number][] = [
  ['new', 0.3],
  ['new, warned', 0.1],
  ['answered', 0.3],
  ['waiting', 0.2],
  ['reopened', 0.1],
];
const standing = (): Standing => {
  let roll = random();
  for (const [name, share] of STANDINGS) {
    roll -= share;
    if (roll < 0) return name;
  }
  return 'new';
};

const yearStart = Date.parse('2026-01-01T00:00:00Z');

/** A ticket as the kernel would have stored it after its life so far, built with the lifecycle's own functions. */
function generatedTicket(policy: Policy, sla: SlaClock, number: number): Ticket {
  const queue = pick(policy.queues).name;
  const regions = policy.regions.filter((region) => region.queues === undefined || region.queues.includes(queue));
  const receivedAt = yearStart + Math.floor(random() * 365 * 24 * HOUR);
  const opened = newTicket(
    {
      number,
      queue,
      requester: `customer-${number}@cliente.example`,
      requesterName: null,
      participants: [],
      subject: 'Reports stopped arriving',
      normalizedSubject: 'reports stopped arriving',
      priority: pick(policy.priorities.levels).name,
      plan: policy.plans ? pick(policy.plans.levels).name : null,
      region: regions.length > 0 && random() < 0.3 ? pick(regions).name : null,
      channel: pick(['email', 'web'] as const),
      locale: 'en',
      flags: [],
      receivedAt,
      firstRespondedAt: null,
    },
    sla,
  );
  const answer = (ticket: Ticket, at: number, status: Ticket['status'] | null) =>
    recordAgentReply(ticket, { at, status, countsAsFirstResponse: true }, sla);
  switch (standing()) {
    case 'new':
      return opened;
    case 'new, warned': {
      const due = planTicketTimers(policy, sla, timedTicket(opened))[0];
      if (due === undefined) return opened;
      const at = new Date(due.at).toISOString();
      return { ...opened, timerLog: [{ ...due, key: timerKey(due), dueAt: at, at }], timerFirings: 1 };
    }
    case 'answered':
      return answer(opened, receivedAt + HOUR, null);
    case 'waiting':
      return answer(opened, receivedAt + HOUR, 'waiting-on-customer');
    case 'reopened':
      return changeStatus(answer(opened, receivedAt + HOUR, 'waiting-on-customer'), 'open', receivedAt + 5 * HOUR, sla);
  }
}

/** Runs `work` over every ticket, timing each call; returns calls per second and the per-call percentiles. */
function measure(tickets: readonly Ticket[], work: (ticket: Ticket) => number) {
  const samples: number[] = [];
  let produced = 0;
  const started = performance.now();
  for (const ticket of tickets) {
    const before = performance.now();
    produced += work(ticket);
    samples.push((performance.now() - before) * 1000);
  }
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return {
    perSecond: Math.round(tickets.length / seconds),
    produced,
    producedPerSecond: Math.round(produced / seconds),
    p50Microseconds: Math.round(percentile(samples, 0.5)),
    p99Microseconds: Math.round(percentile(samples, 0.99)),
  };
}

const figures: Record<string, unknown> = { tickets: COUNT, mix: Object.fromEntries(STANDINGS) };
for (const file of POLICIES) {
  const policy = await loadPolicyFile(file);
  const sla = new SlaClock(policy);
  const tickets = Array.from({ length: COUNT }, (_, index) => generatedTicket(policy, sla, 1000 + index));
  const plan = (ticket: Ticket) => planTicketTimers(policy, sla, timedTicket(ticket)).length;
  const schedule = (ticket: Ticket) => (ticketSchedule({ policy, sla }, ticket) === null ? 0 : 1);
  // Warm-ups: the JIT, and the calendar days the tickets touch (a warm Lambda's clock).
  measure(tickets, plan);
  const planned = measure(tickets, plan);
  measure(tickets, schedule);
  const scheduled = measure(tickets, schedule);
  figures[file] = {
    planTicketTimers: {
      ticketsPerSecond: planned.perSecond,
      timersPlannedPerSecond: planned.producedPerSecond,
      timersPerTicket: Number((planned.produced / COUNT).toFixed(2)),
      p50Microseconds: planned.p50Microseconds,
      p99Microseconds: planned.p99Microseconds,
    },
    ticketSchedule: {
      perSecond: scheduled.perSecond,
      ticketsNeedingASchedule: scheduled.produced,
      p50Microseconds: scheduled.p50Microseconds,
      p99Microseconds: scheduled.p99Microseconds,
    },
  };
}
figures['load1m'] = Number(loadavg()[0]!.toFixed(2));
saveReport('timer-planning', figures);
