import { awsIngestDependencies } from '../lib/adapters/aws/aws-ingest-dependencies.ts';
import { lambdaTelemetry } from '../lib/adapters/aws/lambda-telemetry.ts';
import { inboundEmailFromSes, SesReceiptEvent } from '../lib/adapters/aws-events/ses-receipt-event.ts';
import { type IngestEmailDeps, type IngestResult, ingestEmail } from '../lib/application/ingest-email.ts';
import { isAtendeError } from '../lib/domain/atende-error.ts';

/**
 * The SES receipt rule's Lambda action (after its S3 action stored the raw mail).
 * A malformed event is logged and dropped: retrying cannot fix it, and the raw mail is in S3.
 * Any other error is logged and thrown, so Lambda retries the event; the use case is idempotent.
 * Every log line carries the request id, and the ticket number once the mail has one.
 */
let dependencies: Promise<IngestEmailDeps> | undefined;
const { logger } = lambdaTelemetry;

export const handler = (event: unknown, context?: unknown): Promise<{ results: IngestResult[] }> =>
  lambdaTelemetry.invocation(context, async () => {
    const parsed = SesReceiptEvent.safeParse(event);
    if (!parsed.success) {
      logger.error('inbound.invalidEvent', {
        code: 'inbound.invalidEvent',
        issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      });
      return { results: [] };
    }
    dependencies ??= awsIngestDependencies(process.env);
    const deps = await dependencies;
    const results: IngestResult[] = [];
    for (const record of parsed.data.Records) {
      lambdaTelemetry.workingOn({ sesMessageId: record.ses.mail.messageId });
      const result = await ingestEmail(deps, inboundEmailFromSes(record)).catch((error: unknown) => {
        logger.error('inbound.failed', { code: isAtendeError(error) ? error.code : 'inbound.failed', error });
        throw error;
      });
      logger.info('inbound.processed', { code: 'inbound.processed', ...result });
      results.push(result);
    }
    return { results };
  });
