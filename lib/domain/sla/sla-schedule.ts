import { AtendeError } from '../atende-error.ts';
import { BusinessCalendar, type Pause } from '../calendar/business-calendar.ts';
import type { TargetPart } from '../policy/policy-grammar.ts';
import { CHANNELS, type Channel, type ContactSpec, type Policy, type TargetRuleSpec } from '../policy/policy-schema.ts';

export type SlaKind = 'firstResponse' | 'resolution';

/** What a ticket's SLA depends on. Time is always passed in. */
export interface SlaRequest {
  readonly queue: string;
  readonly priority: string;
  /** Left out: the policy's default plan (or none when the policy has no plans). */
  readonly plan?: string | undefined;
  readonly channel?: Channel | undefined;
  /** The customer's region; its calendar applies instead of the queue's where the region covers the queue. */
  readonly region?: string | undefined;
  readonly receivedAt: number;
  /** Spans while the ticket waited on the customer (the clock stops when the policy says so). */
  readonly pauses?: readonly Pause[] | undefined;
}

export interface EscalationTime {
  readonly level: number;
  readonly at: number | null;
  readonly contacts: readonly ContactSpec[];
}

export interface SlaDeadline {
  readonly kind: SlaKind;
  /** The target that won (the stricter of all that apply), as the policy wrote it. */
  readonly target: string;
  /**
   * Every target that applied and can be met on the ticket's calendar, as written; the winner
   * is the one with the least business time.
   */
  readonly applicable: readonly string[];
  /** Business time the target allows, in minutes. */
  readonly businessMinutes: number;
  /** `null` while an unfinished pause stops the clock. */
  readonly due: number | null;
  readonly warningAt: number | null;
  readonly escalations: readonly EscalationTime[];
}

export interface SlaSchedule {
  readonly queue: string;
  readonly priority: string;
  readonly plan: string | null;
  readonly channel: Channel;
  readonly region: string | null;
  readonly calendar: { readonly name: string; readonly timeZone: string };
  readonly receivedAt: number;
  /** Received outside opening hours, the clock starts at the next opening. */
  readonly clockStartsAt: number;
  readonly firstResponse: SlaDeadline | null;
  readonly resolution: SlaDeadline | null;
}

/** Builds calendars once per policy; the SLA math reuses their day caches. */
export class SlaClock {
  private readonly calendars: ReadonlyMap<string, BusinessCalendar>;

  constructor(readonly policy: Policy) {
    this.calendars = new Map(
      Object.entries(policy.calendars).map(([name, spec]) => [name, new BusinessCalendar(name, spec)]),
    );
  }

  /** The calendar a ticket follows: the customer's region's where it covers the queue, else the queue's. */
  calendarFor(queueName: string, regionName?: string): BusinessCalendar {
    const queue = this.requireQueue(queueName);
    const region = regionName === undefined ? undefined : this.requireRegion(regionName);
    const covers = region && (region.queues === undefined || region.queues.includes(queue.name));
    return this.calendars.get(covers ? region.calendar : queue.calendar)!;
  }

  /** The waits on the customer that stop the clock: all of them where the policy says so, else none. */
  countedPauses(pauses: readonly Pause[]): readonly Pause[] {
    return this.policy.waitingOnCustomer.pausesSla ? pauses : [];
  }

  /** First-response and resolution due times, warnings and escalation times for one ticket. */
  schedule(request: SlaRequest): SlaSchedule {
    const queue = this.requireQueue(request.queue);
    const priority = this.requirePriority(request.priority);
    const plan = this.resolvePlan(request.plan);
    const channel = request.channel ?? 'email';
    if (!CHANNELS.includes(channel)) {
      throw new AtendeError(
        'policy.unknownChannel',
        `unknown channel "${channel}"; valid channels: ${CHANNELS.join(', ')}`,
        { details: { valid: CHANNELS } },
      );
    }
    if (!Number.isFinite(request.receivedAt))
      throw new AtendeError('sla.invalidTime', 'the time received is not a valid instant');
    const calendar = this.calendarFor(queue.name, request.region);
    const pauses = this.countedPauses(request.pauses ?? []);
    const clockStartsAt = calendar.nextOpening(request.receivedAt)!;
    const ticket = { queue: queue.name, priority, plan, channel };

    const deadline = (kind: SlaKind): SlaDeadline | null => {
      const budgets = this.policy.sla[kind]
        .filter((rule) => ruleApplies(rule, ticket))
        .map((rule) => ({ rule, budget: ruleBudget(calendar, clockStartsAt, rule) }))
        // A target none of whose parts can be reached on this calendar (a bare "end of
        // business day" on a calendar that never closes) promises nothing: it does not apply.
        .filter((candidate): candidate is { rule: TargetRuleSpec; budget: number } => candidate.budget !== null);
      if (budgets.length === 0) return null;
      const winner = budgets.reduce((best, candidate) => (candidate.budget < best.budget ? candidate : best));
      const due = calendar.addBusinessTime(clockStartsAt, winner.budget, pauses);
      const warningShare = this.policy.sla.warningAt;
      const warningAt =
        warningShare === undefined
          ? null
          : calendar.addBusinessTime(clockStartsAt, (winner.budget * warningShare) / 100, pauses);
      return {
        kind,
        target: winner.rule.within.text,
        applicable: budgets.map(({ rule }) => rule.within.text),
        businessMinutes: winner.budget / 60_000,
        due,
        warningAt,
        escalations: this.escalations(kind, calendar, due, pauses),
      };
    };

    return {
      queue: queue.name,
      priority,
      plan,
      channel,
      region: request.region ?? null,
      calendar: { name: calendar.name, timeZone: calendar.timeZone },
      receivedAt: request.receivedAt,
      clockStartsAt,
      firstResponse: deadline('firstResponse'),
      resolution: deadline('resolution'),
    };
  }

  private escalations(
    kind: SlaKind,
    calendar: BusinessCalendar,
    due: number | null,
    pauses: readonly Pause[],
  ): EscalationTime[] {
    const escalation = this.policy.sla.escalation;
    if (!escalation?.targets.includes(kind)) return [];
    let previous = due;
    return escalation.levels.map((level, index) => {
      // Each level waits its business time after the breach (level 1) or after the level before it.
      previous = previous === null ? null : calendar.addBusinessTime(previous, level.after * 60_000, pauses);
      return { level: index + 1, at: previous, contacts: level.contacts };
    });
  }

  private requireQueue(name: string) {
    const queue = this.policy.queues.find((candidate) => candidate.name === name);
    if (!queue)
      throw unknown(
        'policy.unknownQueue',
        'queue',
        'queues',
        name,
        this.policy.queues.map((q) => q.name),
      );
    return queue;
  }

  private requireRegion(name: string) {
    const region = this.policy.regions.find((candidate) => candidate.name === name);
    if (!region)
      throw unknown(
        'policy.unknownRegion',
        'region',
        'regions',
        name,
        this.policy.regions.map((r) => r.name),
      );
    return region;
  }

  private requirePriority(name: string): string {
    const names = this.policy.priorities.levels.map((priority) => priority.name);
    if (!names.includes(name)) throw unknown('policy.unknownPriority', 'priority', 'priorities', name, names);
    return name;
  }

  private resolvePlan(name: string | undefined): string | null {
    const plans = this.policy.plans;
    if (name === undefined) return plans?.default ?? null;
    const names = plans?.levels.map((plan) => plan.name) ?? [];
    if (!names.includes(name)) throw unknown('policy.unknownPlan', 'plan', 'plans', name, names);
    return name;
  }
}

function unknown(
  code: 'policy.unknownQueue' | 'policy.unknownRegion' | 'policy.unknownPriority' | 'policy.unknownPlan',
  what: string,
  whats: string,
  name: string,
  valid: string[],
) {
  const choices = valid.length > 0 ? `valid ${whats}: ${valid.join(', ')}` : `the policy defines no ${whats}`;
  return new AtendeError(code, `unknown ${what} "${name}"; ${choices}`, { details: { [what]: name, valid } });
}

function ruleApplies(
  rule: TargetRuleSpec,
  ticket: { queue: string; priority: string; plan: string | null; channel: Channel },
): boolean {
  return (
    (rule.queue === undefined || rule.queue.includes(ticket.queue)) &&
    (rule.priority === undefined || rule.priority.includes(ticket.priority)) &&
    (rule.plan === undefined || (ticket.plan !== null && rule.plan.includes(ticket.plan))) &&
    (rule.channel === undefined || rule.channel.includes(ticket.channel))
  );
}

/**
 * A target as an amount of business time from the clock's start: the least of its parts
 * ("4h or end of business day", the sooner wins), leaving out parts that never come (the end of
 * the business day on a calendar that never closes); `null` when no part comes.
 */
function ruleBudget(calendar: BusinessCalendar, clockStartsAt: number, rule: TargetRuleSpec): number | null {
  const budgets = rule.within.parts
    .map((part) => partBudget(calendar, clockStartsAt, part))
    .filter((budget): budget is number => budget !== null);
  return budgets.length === 0 ? null : Math.min(...budgets);
}

/**
 * A target part as an amount of business time from the clock's start. Day-based parts
 * ("end of business day", "3 business days") are fixed when the clock starts, so a later pause
 * moves the due time by exactly the paused business time, like any other target.
 */
function partBudget(calendar: BusinessCalendar, clockStartsAt: number, part: TargetPart): number | null {
  if (part.kind === 'businessTime') return part.minutes * 60_000;
  const close = calendar.endOfBusinessDay(clockStartsAt, part.days);
  return close === null ? null : calendar.businessTimeBetween(clockStartsAt, close);
}
