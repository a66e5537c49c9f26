import { awsIngestDependencies } from '../lib/adapters/aws/aws-ingest-dependencies.ts';
import { inboundEmailFromSes, SesReceiptEvent } from '../lib/adapters/aws-events/ses-receipt-event.ts';
import { type IngestEmailDeps, type IngestResult, ingestEmail } from '../lib/application/ingest-email.ts';

/**
 * The SES receipt rule's Lambda action (after its S3 action stored the raw mail).
 * A malformed event is logged and dropped: retrying cannot fix it, and the raw mail is in S3.
 * Any other error is thrown, so Lambda retries the event; the use case is idempotent.
 */
let dependencies: Promise<IngestEmailDeps> | undefined;

export const handler = async (event: unknown): Promise<{ results: IngestResult[] }> => {
  const parsed = SesReceiptEvent.safeParse(event);
  if (!parsed.success) {
    log('error', {
      code: 'inbound.invalidEvent',
      issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    });
    return { results: [] };
  }
  dependencies ??= awsIngestDependencies(process.env);
  const deps = await dependencies;
  const results: IngestResult[] = [];
  for (const record of parsed.data.Records) {
    const result = await ingestEmail(deps, inboundEmailFromSes(record));
    log('info', { code: 'inbound.processed', sesMessageId: record.ses.mail.messageId, ...result });
    results.push(result);
  }
  return { results };
};

/** One JSON line per event: CloudWatch Logs Insights can query the fields. */
function log(level: 'info' | 'error', fields: Record<string, unknown>): void {
  (level === 'error' ? console.error : console.log)(JSON.stringify({ level, ...fields }));
}
