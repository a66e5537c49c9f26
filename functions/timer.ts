import { awsIngestDependencies } from '../lib/adapters/aws/aws-ingest-dependencies.ts';
import { fireTimer, type TimerFiringOutcome } from '../lib/application/fire-timer.ts';
import { DeliveredFiringSchema } from '../lib/application/ports/timer-scheduler.ts';
import type { TicketKernelDeps } from '../lib/application/ticket-event.ts';

/**
 * The Lambda every ticket schedule invokes (EventBridge Scheduler's target; its Input is the
 * firing). A malformed payload is logged and dropped: retrying cannot fix it. Any other error is
 * thrown, so Scheduler retries (then its dead-letter queue keeps the firing); the use case is
 * idempotent, and a stale firing acts on nothing.
 */
let dependencies: Promise<TicketKernelDeps> | undefined;

export const handler = async (event: unknown): Promise<TimerFiringOutcome | { outcome: 'invalid' }> => {
  const parsed = DeliveredFiringSchema.safeParse(event);
  if (!parsed.success) {
    log('error', {
      code: 'timer.invalidFiring',
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    });
    return { outcome: 'invalid' };
  }
  dependencies ??= awsIngestDependencies(process.env);
  const outcome = await fireTimer(await dependencies, parsed.data);
  log('info', { code: 'timer.fired', schedule: parsed.data.schedule, dueAt: parsed.data.dueAt, ...outcome });
  return outcome;
};

/** One JSON line per event: CloudWatch Logs Insights can query the fields. */
function log(level: 'info' | 'error', fields: Record<string, unknown>): void {
  (level === 'error' ? console.error : console.log)(JSON.stringify({ level, ...fields }));
}
