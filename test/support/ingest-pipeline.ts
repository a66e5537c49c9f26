import { ManualClock } from '../../lib/adapters/clock/manual-clock.ts';
import { InMemoryAttachmentStore } from '../../lib/adapters/memory/in-memory-attachment-store.ts';
import { InMemoryRawMailStore } from '../../lib/adapters/memory/in-memory-raw-mail-store.ts';
import { InMemoryTicketStore } from '../../lib/adapters/memory/in-memory-ticket-store.ts';
import { RecordingActivity } from '../../lib/adapters/memory/recording-activity.ts';
import { RecordingMailer } from '../../lib/adapters/memory/recording-mailer.ts';
import { RecordingTimers } from '../../lib/adapters/memory/recording-timers.ts';
import { HandlebarsNotificationRenderer } from '../../lib/adapters/templates/handlebars-notification-renderer.ts';
import { fireTimer, type TimerFiringOutcome } from '../../lib/application/fire-timer.ts';
import {
  type InboundEmail,
  type IngestEmailDeps,
  type IngestResult,
  ingestEmail,
} from '../../lib/application/ingest-email.ts';
import type { AttachmentStore } from '../../lib/application/ports/attachment-store.ts';
import type { Mailer } from '../../lib/application/ports/mailer.ts';
import type { TicketStore } from '../../lib/application/ports/ticket-store.ts';
import type { TimerScheduler } from '../../lib/application/ports/timer-scheduler.ts';
import { SignedStatusLinks } from '../../lib/application/signed-status-links.ts';
import { SignedSurveyLinks } from '../../lib/application/signed-survey-links.ts';
import type { Policy } from '../../lib/domain/policy/policy-schema.ts';
import { SlaClock } from '../../lib/domain/sla/sla-schedule.ts';
import { buildMail, type TestMail } from './mail-builder.ts';
import { at, shippedPolicy } from './policy-fixtures.ts';

const renderer = await HandlebarsNotificationRenderer.load();

export interface PipelineOptions {
  readonly policy?: Policy;
  /** A store other than a fresh in-memory one (DynamoDB Local in integration specs). */
  readonly store?: TicketStore;
  /** What the use case sends through, around the recording mailer (a fault-injecting one, say). */
  readonly mailer?: (recording: RecordingMailer) => Mailer;
  /** The recording mailer's Message-ID domain: pipelines sharing one store need their own. */
  readonly mailIdDomain?: string;
  /** What the use case schedules through, around the recording timers (a fault-injecting one, say). */
  readonly timers?: (recording: RecordingTimers) => TimerScheduler;
  /** Where attachments are stored, around the in-memory store (a fault-injecting one, say). */
  readonly attachmentsAround?: (memory: InMemoryAttachmentStore) => AttachmentStore;
}

export type ReceiveOptions = Partial<Pick<InboundEmail, 'verdicts' | 'submittedBy' | 'recipients'>> & {
  readonly key?: string;
};

/**
 * The ingest use case with twins of its ports (or the store given), the real templates and a
 * policy from policy/: what the use-case specifications drive.
 */
export function pipeline(policyFile = 'default.yaml', options: PipelineOptions = {}) {
  const policy = options.policy ?? shippedPolicy(policyFile);
  const store = options.store ?? new InMemoryTicketStore();
  const rawMail = new InMemoryRawMailStore();
  const attachments = new InMemoryAttachmentStore();
  const mailer = new RecordingMailer(options.mailIdDomain);
  const clock = new ManualClock(at('2026-11-23T10:00:00-05:00'));
  const timers = new RecordingTimers();
  const activity = new RecordingActivity();
  const surveyLinks = new SignedSurveyLinks({
    secret: Buffer.from('a survey secret of the use-case specs, 32+ bytes'),
    baseUrl: 'https://support.example.test',
    policy,
    clock,
  });
  const statusLinks = new SignedStatusLinks({
    secret: Buffer.from('a survey secret of the use-case specs, 32+ bytes'),
    baseUrl: 'https://support.example.test',
    policy,
    clock,
  });
  const deps: IngestEmailDeps = {
    policy,
    sla: new SlaClock(policy),
    store,
    rawMail,
    attachments: options.attachmentsAround?.(attachments) ?? attachments,
    mailer: options.mailer?.(mailer) ?? mailer,
    renderer,
    clock,
    timers: options.timers?.(timers) ?? timers,
    surveyLinks,
    statusLinks,
    activity,
  };
  let events = 0;
  const receive = async (mail: TestMail | Buffer, receiveOptions: ReceiveOptions = {}): Promise<IngestResult> => {
    const key = receiveOptions.key ?? `ses-${++events}`;
    if (!receiveOptions.key || !(await rawMail.get(`inbound/${key}`).catch(() => null)))
      await rawMail.put(`inbound/${key}`, Buffer.isBuffer(mail) ? mail : buildMail(mail));
    return ingestEmail(deps, {
      receiptKey: key,
      rawKey: `inbound/${key}`,
      recipients: receiveOptions.recipients ?? ['servicedesk@example.com'],
      verdicts: receiveOptions.verdicts,
      submittedBy: receiveOptions.submittedBy,
    });
  };
  const sentTo = (address: string) =>
    mailer.sent.filter((mail) => [...mail.to, ...(mail.cc ?? [])].some((to) => to.address === address));
  /**
   * Lets time run to `until` as Scheduler would: each schedule held fires at its time, earliest
   * first, deleting itself, with the clock at that instant. Returns the firings' outcomes.
   */
  const runTimersUntil = async (until: number): Promise<TimerFiringOutcome[]> => {
    const outcomes: TimerFiringOutcome[] = [];
    for (let next = timers.pending()[0]; next !== undefined && next.at <= until; next = timers.pending()[0]) {
      clock.set(Math.max(clock.now(), next.at));
      timers.fired(next.name);
      outcomes.push(await fireTimer(deps, next.firing));
    }
    clock.set(Math.max(clock.now(), until));
    return outcomes;
  };
  return {
    policy,
    store,
    rawMail,
    attachments,
    mailer,
    clock,
    deps,
    timers,
    activity,
    receive,
    sentTo,
    runTimersUntil,
  };
}

export const ticketNumberOf = (result: IngestResult): number => {
  if (!('ticketNumber' in result) || result.ticketNumber === null)
    throw new Error(`no ticket in ${JSON.stringify(result)}`);
  return result.ticketNumber;
};

/** What SES says of a mail the From domain vouched for. */
export const AUTHENTICATED = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' } as const;
/** What SES says of a mail whose From domain disowns it, with no DMARC policy to reject it. */
export const FORGED = { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL', dmarcPolicy: 'none' } as const;
