import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ActivityReporter, SupportActivity } from '../../application/ports/support-activity.ts';
import { SUPPORT_METRICS } from '../../application/ports/support-metrics.ts';

/** The `code` of each activity's log line, dotted like the handlers' own codes. */
const LOG_CODES = {
  'ticket-opened': 'ticket.opened',
  'message-threaded': 'message.threaded',
  'message-quarantined': 'message.quarantined',
  'mail-sent': 'mail.sent',
  'mail-failed': 'mail.failedForGood',
  'escalation-sent': 'escalation.sent',
} as const satisfies Record<SupportActivity['kind'], string>;

/**
 * Fields of an activity renamed on its line: `code` is the line's own, and Powertools reserves
 * `level` (it would drop the field with a warning).
 */
const RENAMED_FIELDS: Readonly<Record<string, string>> = { code: 'refusal', level: 'escalationLevel' };

/**
 * Support activity as CloudWatch metrics (embedded metric format, through Powertools Metrics:
 * one Count per activity, named by SUPPORT_METRICS, flushed by LambdaTelemetry at the end of the
 * invocation) and as one log line each. The first activity that names a ticket appends its number
 * to the logger's keys, so every later line of the invocation carries it.
 */
export class PowertoolsActivityReporter implements ActivityReporter {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  report(activity: SupportActivity): void {
    this.metrics.addMetric(SUPPORT_METRICS.names[activity.kind], MetricUnit.Count, 1);
    if ('ticketNumber' in activity && activity.ticketNumber !== null)
      this.logger.appendKeys({ ticketNumber: activity.ticketNumber });
    const code = LOG_CODES[activity.kind];
    const fields: Record<string, unknown> = { code };
    for (const [name, value] of Object.entries(activity))
      if (name !== 'kind' && name !== 'ticketNumber') fields[RENAMED_FIELDS[name] ?? name] = value;
    // A refusal is recorded on the ticket too; its line says what the MailFailed alarm counted.
    if (activity.kind === 'mail-failed') this.logger.warn(code, fields);
    else this.logger.info(code, fields);
  }
}
