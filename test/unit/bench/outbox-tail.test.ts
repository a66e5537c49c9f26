import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxTail } from '../../../bench/outbox-tail.ts';
import { appendOutboxRecord, OUTBOX_FILE, type OutboxRecordInput } from '../../../lib/adapters/mail/outbox.ts';

const record = (
  inReplyTo: string | null,
  headers: Record<string, string>,
  subject = 'Printer offline',
): OutboxRecordInput => ({
  messageId: `<${Math.random().toString(36).slice(2)}@example.com>`,
  emulatorId: 'ses-1',
  date: '2026-12-04T04:00:00.000Z',
  from: { address: 'servicedesk@example.com', name: 'Atende Support' },
  to: [{ address: 'ana@customer.example', name: null }],
  cc: [],
  replyTo: [],
  subject,
  inReplyTo,
  references: inReplyTo === null ? [] : [inReplyTo],
  text: 'Gracias — ¡recibimos su mensaje!',
  html: null,
  headers,
});
const ACKNOWLEDGEMENT = { 'Auto-Submitted': 'auto-replied' };

describe('following the local outbox', () => {
  let directory: string;
  let tail: OutboxTail;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'atende-outbox-tail-'));
    tail = new OutboxTail(directory);
    tail.start();
  });
  afterEach(async () => {
    await tail.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('hands over the acknowledgement of a message once it is appended, even to an outbox that did not exist yet', async () => {
    const waiting = tail.acknowledgementOf('<bench-1@customer.example>', 5_000);

    await appendOutboxRecord(directory, record('<bench-1@customer.example>', ACKNOWLEDGEMENT, '[Atende #1] Printer'));

    const seen = await waiting;
    expect(seen?.record.subject).toBe('[Atende #1] Printer');
    expect(await tail.acknowledgementOf('<bench-1@customer.example>', 0)).toBe(seen);
  });

  it('keeps every record but takes only automatic answers as acknowledgements', async () => {
    await appendOutboxRecord(directory, record('<bench-2@customer.example>', { 'Auto-Submitted': 'auto-generated' }));
    await appendOutboxRecord(directory, record(null, ACKNOWLEDGEMENT));

    expect(await tail.catchUp()).toBe(2);
    expect(await tail.acknowledgementOf('<bench-2@customer.example>', 50)).toBeNull();
  });

  it('reads a line written in two parts, cut inside a multi-byte character, as one record', async () => {
    const line = Buffer.from(`${JSON.stringify(record('<bench-3@customer.example>', ACKNOWLEDGEMENT))}\n`, 'utf8');
    const cut = line.indexOf(Buffer.from('—')) + 1;

    await appendFile(join(directory, OUTBOX_FILE), line.subarray(0, cut));
    expect(await tail.catchUp()).toBe(0);
    await appendFile(join(directory, OUTBOX_FILE), line.subarray(cut));

    expect(await tail.catchUp()).toBe(1);
    expect(tail.records()[0]?.text).toBe('Gracias — ¡recibimos su mensaje!');
  });

  it('fails on a line that is not an outbox record, and keeps failing', async () => {
    await appendFile(join(directory, OUTBOX_FILE), '{"messageId": 3}\n');

    await expect(tail.catchUp()).rejects.toThrow();
    await appendOutboxRecord(directory, record(null, {}));
    await expect(tail.catchUp()).rejects.toThrow();
    await expect(tail.stop()).rejects.toThrow();
    // Stopped already: afterEach stops one that never had an outbox.
    tail = new OutboxTail(join(directory, 'never-written'));
  });
});
