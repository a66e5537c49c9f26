import * as z from 'zod';
import type { InboundEmail } from '../../application/ingest-email.ts';
import { dkimPassDomains } from '../../domain/routing/authentication-results.ts';

/**
 * The event an SES receipt rule's Lambda action sends (invocation type Event): headers and
 * verdicts, never the body, which the rule's S3 action stored under `<prefix><mail.messageId>`.
 * Only what atende reads is required; verdict statuses are kept as strings because SES adds
 * values (`DISABLED` when a scan is off) that a closed enum would turn into a failed event.
 * https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html
 */
const Verdict = z.object({ status: z.string() });

export const SesReceiptRecord = z.object({
  eventSource: z.literal('aws:ses'),
  eventVersion: z.string(),
  ses: z.object({
    mail: z.object({
      timestamp: z.string(),
      /** The envelope sender (MAIL FROM); empty for bounces. */
      source: z.string(),
      messageId: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'not an SES message id'),
      destination: z.array(z.string()),
      /** The message's header fields, SES's own Authentication-Results first; absent from some test events. */
      headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
    }),
    receipt: z.object({
      recipients: z.array(z.string()).min(1),
      spamVerdict: Verdict.optional(),
      virusVerdict: Verdict.optional(),
      spfVerdict: Verdict.optional(),
      dkimVerdict: Verdict.optional(),
      dmarcVerdict: Verdict.optional(),
      /** Present only when DMARC fails: the sending domain's policy (none, quarantine, reject). */
      dmarcPolicy: z.string().optional(),
    }),
  }),
});

export const SesReceiptEvent = z.object({ Records: z.array(SesReceiptRecord).min(1) });
export type SesReceiptEvent = z.output<typeof SesReceiptEvent>;
export type SesReceiptRecord = z.output<typeof SesReceiptRecord>;

/** The inbound mail a record describes; its raw message is the raw-mail store's key `<messageId>` (the store adds the prefix). */
export function inboundEmailFromSes(record: SesReceiptRecord): InboundEmail {
  const { mail, receipt } = record.ses;
  return {
    receiptKey: mail.messageId,
    rawKey: mail.messageId,
    recipients: receipt.recipients.map((recipient) => recipient.toLowerCase()),
    envelopeSender: mail.source,
    verdicts: {
      spam: receipt.spamVerdict?.status,
      virus: receipt.virusVerdict?.status,
      spf: receipt.spfVerdict?.status,
      dkim: receipt.dkimVerdict?.status,
      dmarc: receipt.dmarcVerdict?.status,
      dmarcPolicy: receipt.dmarcPolicy,
      // Whose DKIM signatures verified, from SES's own Authentication-Results (the topmost one): the
      // verdict alone does not say, and only a signature of the From domain vouches for the From.
      dkimDomains:
        dkimPassDomains(
          (mail.headers ?? [])
            .filter((header) => header.name.toLowerCase() === 'authentication-results')
            .map((header) => header.value),
        ) ?? [],
    },
  };
}
