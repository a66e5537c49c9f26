import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalMailer } from '../../../lib/adapters/mail/local-mailer.ts';
import { readOutbox } from '../../../lib/adapters/mail/outbox.ts';
import { readEmulatorStore, startSesEmulator } from '../../../lib/adapters/mail/ses-emulator.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { clearEmulatorStore, useSesEmulator } from '../../support/ses-emulator.ts';
import { acknowledgement } from '../../unit/mail-adapters/outgoing-mail-fixtures.ts';

const emulator = useSesEmulator();
let dataDirectory: string;
let mailer: LocalMailer;
const NOW = Date.parse('2026-11-24T13:00:00Z');

beforeAll(async () => {
  dataDirectory = await mkdtemp(join(tmpdir(), 'atende-local-mailer-'));
});
afterAll(async () => {
  mailer?.close();
  await rm(dataDirectory, { recursive: true, force: true });
});
beforeEach(async () => {
  await clearEmulatorStore(emulator().endpoint);
  await rm(join(dataDirectory, 'outbox.jsonl'), { force: true });
  mailer?.close();
  let n = 0;
  mailer = new LocalMailer({
    endpoint: emulator().endpoint,
    dataDirectory,
    clock: { now: () => NOW },
    newId: () => {
      n += 1;
      return `id-${n}`;
    },
  });
});

describe('LocalMailer against the SES emulator', () => {
  it('sends through the emulator, which keeps the mail in its store', async () => {
    await mailer.send(acknowledgement);

    const [stored, ...others] = await readEmulatorStore(emulator().endpoint);
    expect(others).toEqual([]);
    expect(stored).toMatchObject({
      from: '"Atende Support" <servicedesk@example.com>',
      destination: { to: ['"Ana Souza" <ana.souza@cliente.example>'], cc: ['ops@cliente.example'], bcc: [] },
      subject: '[Atende #1042] Printer offline since Monday',
      body: {
        text: 'Hello Ana,\n\nwe have opened ticket #1042.\n',
        html: '<p>Hello Ana,</p><p>we have opened ticket #1042.</p>',
      },
    });
  });

  it("returns a Message-ID of its own in the sender's domain and records it in the outbox", async () => {
    const { messageId } = await mailer.send(acknowledgement);

    expect(messageId).toBe('<id-1@example.com>');
    const [stored] = await readEmulatorStore(emulator().endpoint);
    expect(await readOutbox(dataDirectory)).toEqual([
      {
        messageId: '<id-1@example.com>',
        emulatorId: stored?.messageId,
        date: '2026-11-24T13:00:00.000Z',
        from: { address: 'servicedesk@example.com', name: 'Atende Support' },
        to: [{ address: 'ana.souza@cliente.example', name: 'Ana Souza' }],
        cc: [{ address: 'ops@cliente.example', name: null }],
        replyTo: [],
        subject: '[Atende #1042] Printer offline since Monday',
        inReplyTo: '<CAF=abc123@mail.cliente.example>',
        references: ['<CAF=abc123@mail.cliente.example>'],
        text: 'Hello Ana,\n\nwe have opened ticket #1042.\n',
        html: '<p>Hello Ana,</p><p>we have opened ticket #1042.</p>',
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', 'X-Atende-Ticket': '1042' },
        attachments: [],
      },
    ]);
  });

  it('sends files through the emulator (SES v2 raw) and records their name, type and size in the outbox', async () => {
    const content = new Uint8Array(Buffer.from('%PDF-1.7 a scanned contract'));

    await mailer.send(acknowledgement, [{ filename: 'contrato.pdf', contentType: 'application/pdf', content }]);

    const [stored] = await readEmulatorStore(emulator().endpoint);
    expect(stored?.attachments).toEqual([
      { filename: 'contrato.pdf', contentType: 'application/pdf', size: content.length },
    ]);
    const [record] = await readOutbox(dataDirectory);
    expect(record?.attachments).toEqual([
      { filename: 'contrato.pdf', contentType: 'application/pdf', size: content.length },
    ]);
  });

  it('records several mails in the order they were sent, each with its own Message-ID', async () => {
    await mailer.send(acknowledgement);
    await mailer.send({
      ...acknowledgement,
      subject: 'second',
      inReplyTo: '<id-1@example.com>',
      references: ['<CAF=abc123@mail.cliente.example>', '<id-1@example.com>'],
    });

    const outbox = await readOutbox(dataDirectory);
    expect(outbox.map((record) => [record.messageId, record.subject, record.inReplyTo])).toEqual([
      ['<id-1@example.com>', '[Atende #1042] Printer offline since Monday', '<CAF=abc123@mail.cliente.example>'],
      ['<id-2@example.com>', 'second', '<id-1@example.com>'],
    ]);
    expect(await readEmulatorStore(emulator().endpoint)).toHaveLength(2);
  });

  it('sends and records nothing for a mail the composer refuses', async () => {
    const error = await mailer.send({ ...acknowledgement, to: [{ address: 'a@b.example, victim@example.com' }] }).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(isAtendeError(error, 'mail.invalidAddress')).toBe(true);
    expect(await readEmulatorStore(emulator().endpoint)).toEqual([]);
    expect(await readOutbox(dataDirectory)).toEqual([]);
  });
});

describe('starting the SES emulator', () => {
  it('fails with local.startFailed on a port already in use', async () => {
    const error = await startSesEmulator({ port: emulator().port }).then(
      async (second) => {
        await second.stop();
        return undefined;
      },
      (caught: unknown) => caught,
    );

    expect(isAtendeError(error, 'local.startFailed')).toBe(true);
  });

  it('stops promptly even with a client connection kept alive, and can be stopped twice', async () => {
    const own = await startSesEmulator();
    const client = new LocalMailer({ endpoint: own.endpoint, dataDirectory });
    await client.send(acknowledgement);

    const started = performance.now();
    await own.stop();
    await own.stop();
    client.close();

    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(fetch(`${own.endpoint}/health-check`)).rejects.toThrow();
  });
});
