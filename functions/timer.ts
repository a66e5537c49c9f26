import { awsIngestDependencies } from '../lib/adapters/aws/aws-ingest-dependencies.ts';
import { lambdaTelemetry } from '../lib/adapters/aws/lambda-telemetry.ts';
import { fireTimer, type TimerFiringOutcome } from '../lib/application/fire-timer.ts';
import { DeliveredFiringSchema } from '../lib/application/ports/timer-scheduler.ts';
import type { TicketKernelDeps } from '../lib/application/ticket-event.ts';
import { isAtendeError } from '../lib/domain/atende-error.ts';

/**
 * The Lambda every ticket schedule invokes (EventBridge Scheduler's target; its Input is the
 * firing). A malformed payload is logged and dropped: retrying cannot fix it. Any other error is
 * logged and thrown, so Scheduler retries (then its dead-letter queue keeps the firing); the use
 * case is idempotent, and a stale firing acts on nothing. Every line carries the request id and
 * the firing's ticket number.
 */
let dependencies: Promise<TicketKernelDeps> | undefined;
const { logger } = lambdaTelemetry;

export const handler = (event: unknown, context?: unknown): Promise<TimerFiringOutcome | { outcome: 'invalid' }> =>
  lambdaTelemetry.invocation(context, async () => {
    const parsed = DeliveredFiringSchema.safeParse(event);
    if (!parsed.success) {
      logger.error('timer.invalidFiring', {
        code: 'timer.invalidFiring',
        issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      });
      return { outcome: 'invalid' as const };
    }
    const firing = parsed.data;
    lambdaTelemetry.workingOn({ ticketNumber: firing.ticketNumber, schedule: firing.schedule, dueAt: firing.dueAt });
    dependencies ??= awsIngestDependencies(process.env);
    const outcome = await fireTimer(await dependencies, firing).catch((error: unknown) => {
      logger.error('timer.failed', { code: isAtendeError(error) ? error.code : 'timer.failed', error });
      throw error;
    });
    logger.info('timer.fired', { code: 'timer.fired', ...outcome });
    return outcome;
  });
