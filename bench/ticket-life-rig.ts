import { ManualClock } from '../lib/adapters/clock/manual-clock.ts';
import { InMemoryAttachmentStore } from '../lib/adapters/memory/in-memory-attachment-store.ts';
import { InMemoryRawMailStore } from '../lib/adapters/memory/in-memory-raw-mail-store.ts';
import { InMemoryTicketStore } from '../lib/adapters/memory/in-memory-ticket-store.ts';
import { RecordingMailer } from '../lib/adapters/memory/recording-mailer.ts';
import { RecordingTimers, type TimerCall } from '../lib/adapters/memory/recording-timers.ts';
import { HandlebarsNotificationRenderer } from '../lib/adapters/templates/handlebars-notification-renderer.ts';
import { fireTimer } from '../lib/application/fire-timer.ts';
import { type IngestEmailDeps, type IngestResult, ingestEmail } from '../lib/application/ingest-email.ts';
import type { OutgoingMail } from '../lib/application/ports/mailer.ts';
import { setTicketStatus } from '../lib/application/set-ticket-status.ts';
import { SignedStatusLinks } from '../lib/application/signed-status-links.ts';
import { SignedSurveyLinks } from '../lib/application/signed-survey-links.ts';
import type { Policy, TicketStatus } from '../lib/domain/policy/policy-schema.ts';
import { SlaClock } from '../lib/domain/sla/sla-schedule.ts';

const renderer = await HandlebarsNotificationRenderer.load();

/** SES's verdicts on a mail its From domain vouched for: how an agent's answer is trusted. */
const AUTHENTICATED = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' } as const;

/** The scheduler calls of one step of a ticket's life, by kind. */
export interface StepCalls {
  readonly step: string;
  readonly put: number;
  readonly move: number;
  readonly remove: number;
  readonly total: number;
}

/** A mail as a customer's or an agent's client writes it: the headers threading reads, plain text. */
export interface LifeMail {
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  /** What the mail answers (the acknowledgement, the agents' notice, the relay). */
  readonly answering?: Pick<OutgoingMail & { messageId: string }, 'messageId'>;
}

/**
 * One ticket's life through the real use cases (ingest, an agent's answer and commands, a
 * person setting the status, timers firing) on the in-memory store with RecordingTimers, the
 * real templates and a ManualClock: what `npm run bench` counts scheduler calls on. Each step
 * lets time run to its instant first, as Scheduler would, so a timer due before it fires (and
 * its calls count as a step of their own).
 */
export class TicketLife {
  readonly clock: ManualClock;
  readonly timers = new RecordingTimers();
  readonly mailer = new RecordingMailer();
  readonly store = new InMemoryTicketStore();
  readonly steps: StepCalls[] = [];
  private readonly rawMail = new InMemoryRawMailStore();
  private readonly deps: IngestEmailDeps;
  private events = 0;

  constructor(policy: Policy, start: number) {
    this.clock = new ManualClock(start);
    this.deps = {
      policy,
      sla: new SlaClock(policy),
      store: this.store,
      rawMail: this.rawMail,
      attachments: new InMemoryAttachmentStore(),
      mailer: this.mailer,
      renderer,
      clock: this.clock,
      timers: this.timers,
      // Signed as on a deployment; the bench never follows them.
      surveyLinks: new SignedSurveyLinks({
        secret: Buffer.from('survey links of the ticket-life bench, never followed'),
        baseUrl: 'https://support.example.test',
        policy,
        clock: this.clock,
      }),
      statusLinks: new SignedStatusLinks({
        secret: Buffer.from('survey links of the ticket-life bench, never followed'),
        baseUrl: 'https://support.example.test',
        policy,
        clock: this.clock,
      }),
    };
  }

  /** A mail arrives at `at`; agents' mail comes with SES's passing verdicts. */
  async receive(step: string, at: number, mail: LifeMail, options: { agent?: boolean } = {}): Promise<IngestResult> {
    await this.runTimersUntil(at);
    const key = `life-${++this.events}`;
    await this.rawMail.put(`inbound/${key}`, rawMail(mail, key));
    return this.counted(step, () =>
      ingestEmail(this.deps, {
        receiptKey: key,
        rawKey: `inbound/${key}`,
        recipients: ['servicedesk@example.com'],
        ...(options.agent ? { verdicts: AUTHENTICATED } : {}),
      }),
    );
  }

  /** Someone on the team sets the status at `at` (the CLI's `atende tickets status`). */
  async setStatus(step: string, at: number, ticketNumber: number, status: TicketStatus): Promise<void> {
    await this.runTimersUntil(at);
    const event = { key: `status-${++this.events}`, now: this.clock.now(), rawKey: null };
    await this.counted(step, () => setTicketStatus(this.deps, event, { ticketNumber, status }));
  }

  /**
   * Lets time run to `until`: each schedule held fires at its time, earliest first, deleting
   * itself (ActionAfterCompletion: DELETE), each firing a step named by the timer that fired.
   */
  async runTimersUntil(until: number): Promise<void> {
    for (let next = this.timers.pending()[0]; next !== undefined && next.at <= until; next = this.timers.pending()[0]) {
      this.clock.set(Math.max(this.clock.now(), next.at));
      this.timers.fired(next.name);
      const before = this.timers.calls.length;
      const outcome = await fireTimer(this.deps, next.firing);
      // Named by what acted: a breach and its first escalation act in one firing.
      const acted =
        outcome.outcome === 'acted' ? outcome.acted.join(' + ') : `${next.firing.kind} (${outcome.outcome})`;
      this.steps.push(callsOf(`fired ${acted}`, this.timers.calls.slice(before)));
    }
    this.clock.set(Math.max(this.clock.now(), until));
  }

  /** The mail sent to an address, oldest first. */
  sentTo(address: string): (OutgoingMail & { messageId: string })[] {
    return this.mailer.sent.filter((mail) => [...mail.to, ...(mail.cc ?? [])].some((to) => to.address === address));
  }

  /** Every step's calls summed. */
  total(): Omit<StepCalls, 'step'> {
    const sum = (kind: 'put' | 'move' | 'remove' | 'total') => this.steps.reduce((n, step) => n + step[kind], 0);
    return { put: sum('put'), move: sum('move'), remove: sum('remove'), total: sum('total') };
  }

  private async counted<T>(step: string, run: () => Promise<T>): Promise<T> {
    const before = this.timers.calls.length;
    const result = await run();
    this.steps.push(callsOf(step, this.timers.calls.slice(before)));
    return result;
  }
}

const callsOf = (step: string, calls: readonly TimerCall[]): StepCalls => {
  const count = (kind: TimerCall['call']) => calls.filter((call) => call.call === kind).length;
  return { step, put: count('put'), move: count('move'), remove: count('remove'), total: calls.length };
};

/** Raw RFC 5322 bytes, built by hand so nothing (a composer's Date or Message-ID) varies between runs. */
function rawMail(mail: LifeMail, key: string): Buffer {
  const domain = mail.from.replace(/^.*@|>$/g, '');
  const headers = [
    `From: ${mail.from}`,
    'To: servicedesk@example.com',
    `Subject: ${mail.subject}`,
    'Date: Mon, 23 Nov 2026 10:00:00 -0500',
    `Message-ID: <${key}@${domain}>`,
    ...(mail.answering ? [`In-Reply-To: ${mail.answering.messageId}`, `References: ${mail.answering.messageId}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${mail.text.replace(/\r?\n/g, '\r\n')}\r\n`, 'utf8');
}
