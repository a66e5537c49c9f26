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
    switch (activity.kind) {
      case 'mail-failed':
        // Recorded on the ticket too; the line says what the MailFailed alarm counted.
        this.logger.warn(code, { code, purpose: activity.purpose, refusal: activity.code });
        return;
      case 'ticket-opened':
        this.logger.info(code, { code, channel: activity.channel });
        return;
      case 'message-threaded':
        this.logger.info(code, { code, via: activity.via });
        return;
      case 'message-quarantined':
        this.logger.info(code, { code, reason: activity.reason });
        return;
      case 'mail-sent':
        this.logger.info(code, { code, purpose: activity.purpose });
        return;
      case 'escalation-sent':
        this.logger.info(code, { code, escalationLevel: activity.level });
        return;
    }
  }
}
