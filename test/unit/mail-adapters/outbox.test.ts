import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendOutboxRecord, OUTBOX_FILE, type OutboxRecord, readOutbox } from '../../../lib/adapters/mail/outbox.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';

let dataDirectory: string;
beforeEach(async () => {
  dataDirectory = await mkdtemp(join(tmpdir(), 'atende-outbox-'));
});
afterEach(async () => {
  await rm(dataDirectory, { recursive: true, force: true });
});

const record = (n: number): OutboxRecord => ({
  messageId: `<m${n}@example.com>`,
  emulatorId: `ses-${n}`,
  date: '2026-11-24T13:00:00.000Z',
  from: { address: 'servicedesk@example.com', name: 'Atende Support' },
  to: [{ address: 'ana@cliente.example', name: null }],
  cc: [],
  replyTo: [],
  subject: `[Atende #${n}] Hi`,
  inReplyTo: null,
  references: [],
  text: 'hi\n',
  html: null,
  headers: { 'Auto-Submitted': 'auto-replied' },
  attachments: [],
});

describe('the local outbox', () => {
  it('is empty before anything was sent', async () => {
    expect(await readOutbox(join(dataDirectory, 'not-yet'))).toEqual([]);
  });

  it('reads records back in the order they were appended, concurrent appends included', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, n) => appendOutboxRecord(dataDirectory, record(n))));

    const records = await readOutbox(dataDirectory);

    expect(records).toHaveLength(20);
    expect(new Set(records.map((entry) => entry.messageId)).size).toBe(20);
  });

  it('names the line that is not a record (mail.outboxInvalid)', async () => {
    await appendOutboxRecord(dataDirectory, record(1));
    await appendFile(join(dataDirectory, OUTBOX_FILE), '{"messageId":"<x@y>"}\n{"cut short');

    const error = await readOutbox(dataDirectory).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(isAtendeError(error, 'mail.outboxInvalid')).toBe(true);
    expect(isAtendeError(error) && error.details['line']).toBe(2);
  });
});
