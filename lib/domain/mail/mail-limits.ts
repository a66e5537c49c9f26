import * as z from 'zod';
import { AtendeError } from '../atende-error.ts';

const MiB = 1024 * 1024;

/**
 * How much of a hostile message the parser is willing to read. Every limit is named and
 * checked before the work it bounds: the raw size before parsing, the header block before
 * handing the message to the MIME parser, the HTML before converting it to text.
 */
export const MailLimitsSchema = z.strictObject({
  /** SES accepts inbound messages up to 40 MB; anything larger cannot have come from it. */
  maxRawBytes: z
    .number()
    .int()
    .min(1024)
    .max(256 * MiB),
  /**
   * The top-level header block. Postfix truncates at 100 KB by default; real messages with
   * long Received chains or huge To lists reach a few hundred KB (the corpus has 206 KB),
   * so 1 MiB refuses only headers built to exhaust the parser. The MIME parser holds the
   * header block of every part to it too, counting each line as at least 64 bytes.
   */
  maxHeaderBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * MiB),
  /**
   * Fields in the top-level header block. The corpus has at most 68 and a long Received chain
   * a few hundred; 100,000 one-line fields fit in the byte limit and cost the MIME parser a
   * map entry and a decoding each, so they are refused before it sees them.
   */
  maxHeaderFields: z.number().int().min(10).max(100_000),
  /**
   * MIME parts (the MIME parser's nodes, embedded messages included), counted by the parser as
   * it splits the message. This also bounds the nesting depth, which the parser walks
   * recursively in time that grows faster than the depth: 2,000 levels take 0.4 s, 5,000 took
   * 2.3 s and overflowed the stack, so no more than 2,000 can be allowed. The default is the
   * parser's own; a message of 10,000 parts is not a support request.
   */
  maxMimeParts: z.number().int().min(1).max(2_000),
  /** Characters of body text kept; the raw message keeps the rest. */
  maxTextChars: z
    .number()
    .int()
    .min(1)
    .max(64 * MiB),
  /** Characters of HTML converted to text when a message has only HTML; the rest is not read. */
  maxHtmlChars: z
    .number()
    .int()
    .min(1)
    .max(64 * MiB),
  /**
   * Characters of HTML given to the HTML-to-text converter (and read for quoted history in an
   * agent's reply); longer HTML is read by a plain linear tag stripper instead. The converter
   * costs about a microsecond a character on dense markup (5 MB of `<li>` took 3.6 s): a real
   * HTML mail is well under 1 MB (the corpus's largest is 1.14 MB of mostly text).
   */
  maxHtmlConvertedChars: z
    .number()
    .int()
    .min(1)
    .max(64 * MiB),
  /** Element nesting followed when converting HTML; deeper content is dropped (deep nesting exhausts the stack). */
  maxHtmlDepth: z.number().int().min(1).max(10_000),
  /** Attachment entries described; a message with hundreds of parts keeps the first ones. */
  maxAttachments: z.number().int().min(0).max(100_000),
});

export type MailLimits = z.output<typeof MailLimitsSchema>;

export const DEFAULT_MAIL_LIMITS: MailLimits = Object.freeze({
  maxRawBytes: 40 * 1000 * 1000,
  maxHeaderBytes: 1 * MiB,
  maxHeaderFields: 10_000,
  maxMimeParts: 1_000,
  maxTextChars: 200_000,
  maxHtmlChars: 5_000_000,
  maxHtmlConvertedChars: 1_500_000,
  maxHtmlDepth: 256,
  maxAttachments: 1_000,
});

/** The default limits with `overrides` applied; throws `mail.invalidLimits` naming each bad value. */
export function resolveMailLimits(overrides: Partial<MailLimits> = {}): MailLimits {
  const result = MailLimitsSchema.safeParse({ ...DEFAULT_MAIL_LIMITS, ...overrides });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new AtendeError('mail.invalidLimits', `invalid mail limits: ${problems.join('; ')}`, { details: { problems } });
}
