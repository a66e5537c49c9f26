import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { AtendeError } from '../../domain/atende-error.ts';

/** The local stack's record of sent mail: one JSON object a line, in the data directory. */
export const OUTBOX_FILE = 'outbox.jsonl';

const Address = z.strictObject({ address: z.string(), name: z.string().nullable() });

/** One mail the local mailer sent, as `atende outbox` shows it. */
export const OutboxRecordSchema = z.strictObject({
  /** The Message-ID in the sent header, with angle brackets: what a reply quotes in In-Reply-To. */
  messageId: z.string(),
  /** The id the SES emulator answered (`ses-…`), to find the mail in its `GET /store`. */
  emulatorId: z.string(),
  /** The Date header, ISO-8601 (the local stack's clock). */
  date: z.string(),
  from: Address,
  to: z.array(Address),
  cc: z.array(Address),
  replyTo: z.array(Address),
  subject: z.string(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  text: z.string(),
  html: z.string().nullable(),
  /** Headers besides the standard ones: Auto-Submitted, X-Auto-Response-Suppress, X-Atende-*. */
  headers: z.record(z.string(), z.string()),
  /** The files the mail carried (records written before attachments were sent have none). */
  attachments: z
    .array(z.strictObject({ filename: z.string(), contentType: z.string(), size: z.number().int() }))
    .default([]),
});

export type OutboxRecord = z.output<typeof OutboxRecordSchema>;
export type OutboxRecordInput = z.input<typeof OutboxRecordSchema>;

/**
 * Appends a record to the outbox. One `appendFile` of one line: concurrent appends in one process
 * land as whole lines (O_APPEND).
 */
export const appendOutboxRecord = async (dataDirectory: string, record: OutboxRecordInput): Promise<void> => {
  await mkdir(dataDirectory, { recursive: true });
  await appendFile(join(dataDirectory, OUTBOX_FILE), `${JSON.stringify(OutboxRecordSchema.parse(record))}\n`, 'utf8');
};

/**
 * Every mail the local mailer sent, oldest first; none when nothing was sent yet. A line that is
 * not a record (a hand edit, a write cut short) fails with `mail.outboxInvalid` naming the line.
 */
export const readOutbox = async (dataDirectory: string): Promise<OutboxRecord[]> => {
  const path = join(dataDirectory, OUTBOX_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
    throw error;
  }
  const records: OutboxRecord[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new AtendeError('mail.outboxInvalid', `${path}:${index + 1} is not JSON`, {
        cause: error,
        details: { path, line: index + 1 },
      });
    }
    const result = OutboxRecordSchema.safeParse(json);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new AtendeError(
        'mail.outboxInvalid',
        `${path}:${index + 1} is not an outbox record: ${problems.join('; ')}`,
        { details: { path, line: index + 1, problems } },
      );
    }
    records.push(result.data);
  }
  return records;
};
