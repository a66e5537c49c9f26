import { ManualClock } from '../../lib/adapters/clock/manual-clock.ts';
import { InMemoryAttachmentStore } from '../../lib/adapters/memory/in-memory-attachment-store.ts';
import { InMemoryRawMailStore } from '../../lib/adapters/memory/in-memory-raw-mail-store.ts';
import { InMemoryTicketStore } from '../../lib/adapters/memory/in-memory-ticket-store.ts';
import { RecordingMailer } from '../../lib/adapters/memory/recording-mailer.ts';
import { RecordingTimers } from '../../lib/adapters/memory/recording-timers.ts';
import { HandlebarsNotificationRenderer } from '../../lib/adapters/templates/handlebars-notification-renderer.ts';
import type { TicketStore } from '../../lib/application/ports/ticket-store.ts';
import type { RecordSurveyAnswerDeps } from '../../lib/application/record-survey-answer.ts';
import { SignedStatusLinks } from '../../lib/application/signed-status-links.ts';
import { SignedSurveyLinks } from '../../lib/application/signed-survey-links.ts';
import type { Policy } from '../../lib/domain/policy/policy-schema.ts';
import { SlaClock } from '../../lib/domain/sla/sla-schedule.ts';
import type { Ticket } from '../../lib/domain/ticket/ticket.ts';
import { at, shippedPolicy } from './policy-fixtures.ts';
import { aMessage, aTicket } from './ticket-fixtures.ts';

const renderer = await HandlebarsNotificationRenderer.load();

export const SURVEY_SECRET = Buffer.alloc(32, 42);
/** When the fixtures' tickets were resolved and their survey links made. */
export const RESOLVED_AT = '2026-11-24T15:00:00.000Z';

/**
 * recordSurveyAnswer's dependencies with twins of the kernel's ports (or the store given), the
 * real templates, the default policy and links signed at RESOLVED_AT.
 */
export function surveyDeps(options: { store?: TicketStore; policy?: Policy; baseUrl?: string } = {}) {
  const policy = options.policy ?? shippedPolicy('default.yaml');
  const clock = new ManualClock(at(RESOLVED_AT));
  const store = options.store ?? new InMemoryTicketStore();
  const surveyLinks = new SignedSurveyLinks({
    secret: SURVEY_SECRET,
    baseUrl: options.baseUrl ?? 'http://127.0.0.1:8025',
    policy,
    clock,
  });
  const statusLinks = new SignedStatusLinks({
    secret: SURVEY_SECRET,
    baseUrl: options.baseUrl ?? 'http://127.0.0.1:8025',
    policy,
    clock,
  });
  const timers = new RecordingTimers();
  const deps: RecordSurveyAnswerDeps = {
    policy,
    sla: new SlaClock(policy),
    store,
    mailer: new RecordingMailer(),
    attachments: new InMemoryAttachmentStore(),
    rawMail: new InMemoryRawMailStore(),
    renderer,
    clock,
    timers,
    surveyLinks,
    statusLinks,
  };
  /** A resolved ticket in the store, as the resolution left it. */
  const resolvedTicket = async (overrides: Partial<Ticket> = {}): Promise<Ticket> => {
    const number = await store.allocateTicketNumber();
    return store.createTicket({
      ticket: aTicket(number, {
        status: 'resolved',
        resolvedAt: RESOLVED_AT,
        firstRespondedAt: '2026-11-24T12:00:00.000Z',
        ...overrides,
      }),
      firstMessage: aMessage(number, 1),
    });
  };
  /** The token of a link, as the survey mail carries it. */
  const tokenOf = (link: string): string => {
    const url = new URL(link);
    return url.searchParams.get('token') ?? url.pathname.slice('/survey/'.length);
  };
  return { deps, store, clock, timers, surveyLinks, resolvedTicket, tokenOf };
}
