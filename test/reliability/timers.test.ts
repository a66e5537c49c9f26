import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/ingest-mail-generator.ts';
import { fireTimer } from '../../lib/application/fire-timer.ts';
import type { TicketStore } from '../../lib/application/ports/ticket-store.ts';
import type { TimerFiring } from '../../lib/application/ports/timer-scheduler.ts';
import { setTicketStatus } from '../../lib/application/set-ticket-status.ts';
import { RECEIPT_LEASE_MS } from '../../lib/application/ticket-event.ts';
import { ticketSchedule } from '../../lib/application/ticket-schedule.ts';
import { isAtendeError } from '../../lib/domain/atende-error.ts';
import { newCustomer } from '../../lib/domain/ticket/customer.ts';
import { testTicketTables } from '../support/dynamodb-test-table.ts';
import { FaultInjection } from '../support/fault-injection.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../support/ingest-pipeline.ts';
import { at, HOUR, MINUTE } from '../support/policy-fixtures.ts';
import { printFigures, reliabilitySeed, reliabilityTimeout, sized } from '../support/reliability-size.ts';

/**
 * A week of SLA timers on a bad day. Tickets across the three queues, priorities, plans and
 * languages live through seven simulated days on DynamoDB Local: some answered in time, some late,
 * some waiting on the customer who then replies (and writes twice more within the follow-up
 * throttle), some waiting until they close by themselves, some resolved from the CLI, some resolved
 * while follow-ups the throttle holds wait for their window's end. While time runs, Scheduler calls fail on settle (throttled, a 5xx, a
 * timeout), every firing is delivered two or three times (some at once), old firings come again
 * after the ticket moved on, and the firings' DynamoDB calls and mail fail now and then. Each failed
 * event is delivered again, as Lambda and Scheduler would, until it goes through.
 *
 * The same seeded week run without a single fault is the reference: every ticket must end with the
 * same timers acted (each once), the same mail sent (each once), and the one schedule its state asks
 * for, or none once resolved or closed; every follow-up the customer wrote reaches the agents once.
 */
const tables = testTicketTables();
afterAll(() => tables.dropAll());

const TICKETS = sized({ ci: 40, full: 400 });
/** Tickets living their week side by side (each has its own clock and scheduler; they share the table). */
const CONCURRENCY = 8;
const FAULT_RATES = { store: 0.05, mail: 0.1, scheduler: 0.15 };
const MAX_ATTEMPTS = 60;
const SEED = reliabilitySeed();
const MONDAY_9AM = at('2026-11-23T09:00:00-05:00');
const WEEK_ENDS = MONDAY_9AM + 7 * 24 * HOUR;
/** What a timer sends: the mail the ledger counts. */
const TIMER_PURPOSES = [
  'agent-sla-alert',
  'escalation',
  'waiting-reminder',
  'auto-close-notice',
  'resolution-summary',
  'agent-held-follow-ups',
] as const;

type Fate =
  | 'answered-in-time'
  | 'answered-late'
  | 'waiting-then-reply'
  | 'waiting-until-close'
  | 'resolved'
  | 'follow-ups-then-resolved';
type Step =
  | { readonly at: number; readonly action: 'agent-reply' | 'customer-reply' | 'follow-up' }
  | { readonly at: number; readonly action: 'status'; readonly status: 'waiting-on-customer' | 'resolved' };

interface Scenario {
  readonly index: number;
  readonly from: string;
  readonly queue: string;
  readonly plan: string;
  readonly locale: 'en' | 'es' | 'pt-BR';
  readonly subject: string;
  readonly text: string;
  readonly opensAt: number;
  readonly fate: Fate;
  readonly steps: readonly Step[];
}

const QUEUES = ['servicedesk@example.com', 'installteam@example.com', 'partnersupport@example.com'];
const PLANS = ['basic', 'regular', 'premium'];
const FATES: readonly Fate[] = [
  'answered-in-time',
  'answered-late',
  'waiting-then-reply',
  'waiting-until-close',
  'resolved',
  'follow-ups-then-resolved',
];
/** Subjects by language and priority (the keywords of policy/default.yaml). */
const SUBJECTS = {
  en: ['The portal is down for everyone', 'Question about my invoice', 'How do I add a user?'],
  es: ['El portal está caído', 'Duda sobre mi factura', '¿Cómo agrego un usuario?'],
  'pt-BR': ['O portal está fora do ar', 'Dúvida sobre minha fatura', 'Como adiciono um usuário?'],
} as const;
const TEXTS = {
  en: 'Hello, could you please have a look at this? Thank you very much for your help.',
  es: 'Hola, ¿podrían revisar esto, por favor? Muchas gracias por su ayuda con este problema.',
  'pt-BR': 'Olá, vocês poderiam verificar isto, por favor? Muito obrigado pela ajuda com este problema.',
} as const;

/** The week of one ticket, drawn from the seed: the same in the faulty run and in the reference. */
function scenario(index: number): Scenario {
  const random = seededRandom(SEED * 31 + index);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const locale = pick(['en', 'es', 'pt-BR'] as const);
  const fate = FATES[index % FATES.length]!;
  // Opening over the first three days, at odd seconds: no step meets a timer at the same instant.
  const opensAt = MONDAY_9AM + Math.floor(random() * 72) * HOUR + Math.floor(random() * 60) * MINUTE + 7_000;
  const hours = (count: number) => opensAt + count * HOUR + 13_000;
  const steps: Step[] =
    fate === 'answered-in-time'
      ? [{ at: opensAt + 10 * MINUTE, action: 'agent-reply' }]
      : fate === 'answered-late'
        ? [{ at: hours(30), action: 'agent-reply' }]
        : fate === 'waiting-then-reply'
          ? [
              { at: hours(1), action: 'agent-reply' },
              { at: hours(1) + MINUTE, action: 'status', status: 'waiting-on-customer' },
              { at: hours(30), action: 'customer-reply' },
              // Within the default policy's 40-minute throttle: held, and sent to the agents together.
              { at: hours(30) + 10 * MINUTE, action: 'follow-up' },
              { at: hours(30) + 20 * MINUTE, action: 'follow-up' },
              { at: hours(40), action: 'status', status: 'resolved' },
            ]
          : fate === 'waiting-until-close'
            ? [
                { at: hours(2), action: 'agent-reply' },
                { at: hours(2) + MINUTE, action: 'status', status: 'waiting-on-customer' },
              ]
            : fate === 'resolved'
              ? [
                  { at: hours(3), action: 'agent-reply' },
                  { at: hours(3) + MINUTE, action: 'status', status: 'resolved' },
                ]
              : [
                  // Held after the opening message, then resolved before the window's end: they still go.
                  { at: opensAt + 5 * MINUTE, action: 'follow-up' },
                  { at: opensAt + 15 * MINUTE, action: 'follow-up' },
                  { at: opensAt + 20 * MINUTE, action: 'agent-reply' },
                  { at: opensAt + 21 * MINUTE, action: 'status', status: 'resolved' },
                ];
  return {
    index,
    from: `customer-${index}@client-${index % 7}.example`,
    queue: pick(QUEUES),
    plan: pick(PLANS),
    locale,
    subject: `${pick(SUBJECTS[locale])} (${index})`,
    text: TEXTS[locale],
    opensAt,
    fate,
    steps,
  };
}

interface Faulty {
  readonly faults: FaultInjection;
  /** The deliveries' own draws: how many copies, at once or one after the other, which old firing comes again. */
  readonly random: () => number;
}

interface Lived {
  readonly scenario: Scenario;
  readonly ticketNumber: number;
  readonly timerKeys: readonly string[];
  /** Mail sent on the ticket by purpose, from the mailer's record joined with the ticket's messages. */
  readonly mail: Readonly<Record<string, number>>;
  /** Mail that reached the mailer twice or more (recipients and subject). */
  readonly repeated: number;
  /** Follow-ups the customer wrote, and those that reached the agents in no mail, or in more than one. */
  readonly followUps: number;
  readonly followUpsLost: number;
  readonly followUpsRepeated: number;
  readonly problems: readonly string[];
  readonly firings: number;
  readonly deliveries: number;
  readonly duplicates: number;
  readonly stale: number;
  readonly retries: number;
  readonly leaseWaits: number;
  readonly schedulerCalls: number;
}

/** One ticket's week; with `faulty`, through every fault the suite injects. */
async function liveWeek(store: TicketStore, plan: Scenario, faulty: Faulty | null): Promise<Lived> {
  const setup = pipeline('default.yaml', {
    store,
    mailIdDomain: `ticket-${plan.index}.mailer.test`,
    ...(faulty === null
      ? {}
      : {
          mailer: (recording) => faulty.faults.failSends(recording),
          timers: (recording) => faulty.faults.failSchedulerCalls(recording),
        }),
  });
  const { deps, clock, timers, mailer, receive } = setup;
  const attempts = new Map<string, number>();
  /** Attempts of each event running right now: a lease is held by a live attempt, or by one that died holding it. */
  const running = new Map<string, number>();
  /** Of those, the ones waiting on another: copies that all wait are waiting on a lease nobody will end. */
  const waiting = new Map<string, number>();
  let retries = 0;
  let leaseWaits = 0;
  /** Delivers one event until it goes through, as Lambda and Scheduler redeliver a failed one. */
  const deliver = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    for (;;) {
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      if (attempt > MAX_ATTEMPTS) throw new Error(`gave up on ${key} after ${MAX_ATTEMPTS} deliveries`);
      running.set(key, (running.get(key) ?? 0) + 1);
      try {
        return faulty === null ? await work() : await faulty.faults.during(key, attempt, work);
      } catch (error) {
        // A fault injected, or a delivery told to come back while another one settles the same event.
        if (faulty === null && !isAtendeError(error, 'inbound.inProgress')) throw error;
        retries += 1;
        if (isAtendeError(error, 'inbound.inProgress')) {
          leaseWaits += 1;
          if ((running.get(key) ?? 1) - (waiting.get(key) ?? 0) > 1) {
            // Another copy is still settling it: this one comes back a moment later (real time; the
            // lease is the live attempt's, and a two-minute lease does not run out under it).
            waiting.set(key, (waiting.get(key) ?? 0) + 1);
            await new Promise((resolve) => setTimeout(resolve, 5));
            waiting.set(key, (waiting.get(key) ?? 1) - 1);
            // Waiting on a live copy is not another delivery of the event.
            attempts.set(key, attempt - 1);
          } else {
            // The attempt that holds the receipt died without ending its lease (that write failed
            // too): the event comes back once the lease ran out, as Lambda's and Scheduler's retries would.
            clock.set(clock.now() + RECEIPT_LEASE_MS + 1_000);
          }
        }
      } finally {
        running.set(key, (running.get(key) ?? 1) - 1);
      }
    }
  };

  const firedBefore: TimerFiring[] = [];
  let firings = 0;
  let deliveries = 0;
  let duplicates = 0;
  let stale = 0;
  const fire = async (firing: TimerFiring): Promise<void> => {
    const key = `timer:${firing.schedule}@${firing.dueAt}`;
    firings += 1;
    if (faulty === null) {
      deliveries += 1;
      await deliver(key, () => fireTimer(deps, firing));
      return;
    }
    const copies = faulty.random() < 0.5 ? 2 : 3;
    const together = faulty.random() < 0.5;
    deliveries += copies;
    duplicates += copies - 1;
    if (together) await Promise.all(Array.from({ length: copies }, () => deliver(key, () => fireTimer(deps, firing))));
    else for (let copy = 0; copy < copies; copy += 1) await deliver(key, () => fireTimer(deps, firing));
    firedBefore.push(firing);
  };
  /** An old firing comes again after the ticket moved on (Scheduler's at-least-once, a replayed dead letter). */
  const maybeStale = async (): Promise<void> => {
    if (faulty === null || firedBefore.length === 0 || faulty.random() >= 0.5) return;
    const old = firedBefore[Math.floor(faulty.random() * firedBefore.length)]!;
    stale += 1;
    deliveries += 1;
    await deliver(`timer:${old.schedule}@${old.dueAt}`, () => fireTimer(deps, old));
  };
  /** Time runs to `until`: each schedule held fires at its time, earliest first, deleting itself. */
  const runTimers = async (until: number): Promise<void> => {
    for (let next = timers.pending()[0]; next !== undefined && next.at <= until; next = timers.pending()[0]) {
      clock.set(Math.max(clock.now(), next.at));
      timers.fired(next.name);
      await fire(next.firing);
      await maybeStale();
    }
    clock.set(Math.max(clock.now(), until));
  };

  await setup.store.saveCustomer({
    ...newCustomer(plan.from, new Date(MONDAY_9AM).toISOString()),
    plan: plan.plan,
    locale: plan.locale,
  });
  clock.set(plan.opensAt);
  const opened = await deliver(`open-${plan.index}`, () =>
    receive({ from: plan.from, to: plan.queue, subject: plan.subject, text: plan.text }, { key: `open-${plan.index}` }),
  );
  const ticketNumber = ticketNumberOf(opened);
  const first = (address: string) =>
    mailer.sent.find((mail) => [...mail.to, ...(mail.cc ?? [])].some((to) => to.address === address));
  for (const [n, step] of plan.steps.entries()) {
    await runTimers(step.at);
    const key = `step-${plan.index}-${n}`;
    if (step.action === 'status') {
      // Each delivery is decided at its own time (a retry waiting out a lease comes later).
      await deliver(key, () =>
        setTicketStatus(deps, { key, now: clock.now(), rawKey: null }, { ticketNumber, status: step.status }),
      );
    } else if (step.action === 'agent-reply') {
      const notice = mailer.sent.find((mail) => mail.to.some((to) => to.address.endsWith('-agents@example.com')))!;
      await deliver(key, () =>
        receive(
          {
            from: 'Carla Agent <carla@example.com>',
            subject: `Re: ${notice.subject}`,
            inReplyTo: notice.messageId,
            messageId: `<${key}@agents.example.com>`,
            text: 'We are on it and will write again shortly.',
          },
          { key, verdicts: AUTHENTICATED },
        ),
      );
    } else {
      const ack = first(plan.from)!;
      await deliver(key, () =>
        receive(
          {
            from: plan.from,
            subject: `Re: ${ack.subject}`,
            inReplyTo: ack.messageId,
            messageId: `<${key}@${plan.from.split('@')[1]}>`,
            text: step.action === 'follow-up' ? followUpText(key) : 'Here are the details you asked for.',
          },
          { key },
        ),
      );
    }
    await maybeStale();
  }
  await runTimers(WEEK_ENDS);

  // The ledger of this ticket, read outside any delivery (no faults).
  const ticket = (await setup.store.getTicket(ticketNumber))!;
  const problems: string[] = [];
  const keys = ticket.timerLog.map((acted) => acted.key);
  if (new Set(keys).size !== keys.length) problems.push(`#${ticketNumber}: a timer acted twice: ${keys.join(', ')}`);
  const wanted = ticketSchedule(deps, ticket);
  const held = timers.pending();
  if (wanted === null && held.length > 0)
    problems.push(`#${ticketNumber} (${ticket.status}) holds ${held.map((timer) => timer.name).join(', ')}`);
  if (wanted !== null && (held.length !== 1 || JSON.stringify(held[0]) !== JSON.stringify(wanted)))
    problems.push(`#${ticketNumber} holds ${JSON.stringify(held)}, its plan asks for ${JSON.stringify(wanted)}`);

  const purposeOf = new Map(
    (await setup.store.listMessages(ticketNumber)).flatMap((message) =>
      message.messageId === null ? [] : [[message.messageId, message.purpose] as const],
    ),
  );
  const mail: Record<string, number> = {};
  const seen = new Map<string, number>();
  for (const sent of mailer.sent) {
    const purpose = purposeOf.get(sent.messageId) ?? 'unrecorded';
    mail[purpose] = (mail[purpose] ?? 0) + 1;
    const identity = `${sent.to.map((to) => to.address).join(',')}|${sent.subject}|${sent.text}`;
    seen.set(identity, (seen.get(identity) ?? 0) + 1);
  }
  const repeated = [...seen.values()].filter((count) => count > 1).length;
  // Each follow-up reaches the agents once: quoted in the held follow-ups' mail, or in a notice of its own.
  const toAgents = mailer.sent.filter((sent) => sent.to.some((to) => to.address.endsWith('-agents@example.com')));
  const followUps = plan.steps.flatMap((step, n) =>
    step.action === 'follow-up' ? [followUpText(`step-${plan.index}-${n}`)] : [],
  );
  const reached = followUps.map((text) => toAgents.filter((sent) => sent.text.includes(text)).length);
  if ((ticket.followUpWindow?.held.length ?? 0) > 0)
    problems.push(`#${ticketNumber} still holds follow-ups ${ticket.followUpWindow?.held.join(', ')}`);
  return {
    scenario: plan,
    ticketNumber,
    timerKeys: keys,
    mail,
    repeated,
    followUps: followUps.length,
    followUpsLost: reached.filter((count) => count === 0).length,
    followUpsRepeated: reached.filter((count) => count > 1).length,
    problems,
    firings,
    deliveries,
    duplicates,
    stale,
    retries,
    leaseWaits,
    schedulerCalls: timers.calls.length,
  };
}

/** A follow-up's words, its own in the whole run, so that the agents' mail can be searched for it. */
const followUpText = (key: string): string => `One more detail (${key}): the error comes back after a restart.`;

/** Runs every scenario's week, CONCURRENCY at a time. */
async function liveWeeks(faults: FaultInjection | null): Promise<Lived[]> {
  const table = await tables.create();
  if (faults !== null) faults.failStoreCalls(table.client);
  const plans = Array.from({ length: TICKETS }, (_, index) => scenario(index));
  const lived: Lived[] = [];
  let nextIndex = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let index = nextIndex++; index < plans.length; index = nextIndex++) {
        const faulty = faults === null ? null : { faults, random: seededRandom(SEED * 17 + index) };
        lived[index] = await liveWeek(table.store, plans[index]!, faulty);
      }
    }),
  );
  return lived;
}

/**
 * A wait's timers are keyed by its start, a follow-up window's by its end and its oldest follow-up,
 * and a retry that waited out a receipt's lease moves the later steps of the faulty run by minutes:
 * waits and windows are compared by their order instead.
 */
const waitsByOrder = (keys: readonly string[]): string[] => {
  const starts: string[] = [];
  const windows: string[] = [];
  return keys.map((key) => {
    const window = /^follow-ups\.(.+)$/.exec(key);
    if (window !== null) {
      if (!windows.includes(window[1]!)) windows.push(window[1]!);
      return `follow-ups.window-${windows.indexOf(window[1]!) + 1}`;
    }
    const wait = /^(waiting\.[a-z-]+)\.(.+)$/.exec(key);
    if (wait === null) return key;
    if (!starts.includes(wait[2]!)) starts.push(wait[2]!);
    return `${wait[1]}.wait-${starts.indexOf(wait[2]!) + 1}`;
  });
};

/** What the ledger compares between the runs: the scenario's timers acted and its mail by purpose. */
const ledger = (lived: Lived) => ({
  ticket: lived.scenario.index,
  fate: lived.scenario.fate,
  timers: waitsByOrder(lived.timerKeys),
  mail: Object.fromEntries(Object.entries(lived.mail).sort(([a], [b]) => a.localeCompare(b))),
});

describe(`a week of SLA timers for ${TICKETS} tickets with Scheduler, DynamoDB and SES failing and every firing delivered again`, () => {
  it(
    'acts each timer once, sends each timer’s mail once, and leaves every open ticket holding its next timer',
    async () => {
      const started = performance.now();
      const reference = await liveWeeks(null);
      const faults = new FaultInjection(SEED, FAULT_RATES, { mail: [['throttled', 1]] });
      const faulty = await liveWeeks(faults);
      const seconds = (performance.now() - started) / 1000;

      const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
      const mailBy = (runs: readonly Lived[], purpose: string) => sum(runs.map((run) => run.mail[purpose] ?? 0));
      const calls = faulty.map((run) => run.schedulerCalls);
      printFigures('timers', {
        seed: SEED,
        tickets: TICKETS,
        firings: sum(faulty.map((run) => run.firings)),
        delivered: sum(faulty.map((run) => run.deliveries)),
        duplicates: sum(faulty.map((run) => run.duplicates)),
        stale: sum(faulty.map((run) => run.stale)),
        retries: sum(faulty.map((run) => run.retries)),
        leaseWaits: sum(faulty.map((run) => run.leaseWaits)),
        storeFaults: sum(Object.values(faults.injected.store).map((count) => count ?? 0)),
        mailFaults: sum(Object.values(faults.injected.mail).map((count) => count ?? 0)),
        schedulerFaults: sum(Object.values(faults.injected.scheduler).map((count) => count ?? 0)),
        mail: sum(faulty.map((run) => sum(Object.values(run.mail)))),
        ...Object.fromEntries(TIMER_PURPOSES.map((purpose) => [purpose, mailBy(faulty, purpose)])),
        lost: sum(reference.map((run) => run.timerKeys.length)) - sum(faulty.map((run) => run.timerKeys.length)),
        duplicated: sum(faulty.map((run) => run.repeated)),
        followUps: sum(faulty.map((run) => run.followUps)),
        followUpsLost: sum(faulty.map((run) => run.followUpsLost)),
        followUpsDuplicated: sum(faulty.map((run) => run.followUpsRepeated)),
        schedulerCallsPerTicket: (sum(calls) / calls.length).toFixed(1),
        referenceSchedulerCallsPerTicket: (sum(reference.map((run) => run.schedulerCalls)) / TICKETS).toFixed(1),
        seconds: seconds.toFixed(1),
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      });
      process.stdout.write(`reliability timers: injected ${JSON.stringify(faults.injected)}\n`);

      // The reference itself exercises what the week is about: every kind of timer mail goes out.
      for (const purpose of TIMER_PURPOSES) expect(mailBy(reference, purpose), purpose).toBeGreaterThan(0);
      expect(reference.flatMap((run) => run.problems)).toEqual([]);
      expect(faulty.flatMap((run) => run.problems)).toEqual([]);
      expect(faulty.map(ledger)).toEqual(reference.map(ledger));
      // Only throttling is injected on mail: SES never took a mail whose answer was lost, so nothing is sent twice.
      expect(faults.answerLost.size).toBe(0);
      expect(sum(faulty.map((run) => run.repeated))).toBe(0);
      expect(sum(faulty.map((run) => run.mail['unrecorded'] ?? 0))).toBe(0);
      for (const runs of [reference, faulty]) {
        expect(sum(runs.map((run) => run.followUps))).toBeGreaterThan(0);
        expect(sum(runs.map((run) => run.followUpsLost))).toBe(0);
        expect(sum(runs.map((run) => run.followUpsRepeated))).toBe(0);
      }
    },
    reliabilityTimeout(),
  );
});
