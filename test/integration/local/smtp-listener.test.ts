import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SmtpListener, smtpReceiptKey, startSmtpListener } from '../../../lib/adapters/local/smtp-listener.ts';
import { SmtpSpool } from '../../../lib/adapters/local/smtp-spool.ts';
import { FileRawMailStore } from '../../../lib/adapters/raw-mail/file-raw-mail-store.ts';
import type { InboundEmail, IngestResult } from '../../../lib/application/ingest-email.ts';
import type { RawMailStore } from '../../../lib/application/ports/raw-mail-store.ts';
import { plainToken, smtpDialogue } from '../../support/smtp-dialogue.ts';

const SUPPORT = 'servicedesk@example.com';
const USERS = new Map([
  ['alice@example.com', 'correct horse:battery'],
  ['bob@example.com', 'other'],
]);
const CREATED: IngestResult = { outcome: 'created', ticketNumber: 1000, sent: [] };

let folder: string;
let rawMail: FileRawMailStore;
let listener: SmtpListener | undefined;
let ingested: InboundEmail[];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'atende-smtp-'));
  rawMail = new FileRawMailStore(join(folder, 'raw'));
  ingested = [];
});
afterEach(async () => {
  await listener?.stop();
  listener = undefined;
  await rm(folder, { recursive: true, force: true });
});

const start = async (
  options: {
    ingest?: (inbound: InboundEmail) => Promise<IngestResult>;
    rawMail?: RawMailStore;
    maxMessageBytes?: number;
    spool?: SmtpSpool;
  } = {},
) => {
  listener = await startSmtpListener({
    port: 0,
    rawMail: options.rawMail ?? rawMail,
    ...(options.spool ? { spool: options.spool } : {}),
    acceptedRecipients: [SUPPORT, 'installteam@example.com'],
    users: USERS,
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
    ingest:
      options.ingest ??
      (async (inbound) => {
        ingested.push(inbound);
        return CREATED;
      }),
  });
  return listener.port;
};

const client = (port: number, auth?: { user: string; pass: string; method: 'PLAIN' | 'LOGIN' }) =>
  createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    ...(auth ? { auth: { user: auth.user, pass: auth.pass }, authMethod: auth.method } : {}),
  });

const mail = { from: 'alice@example.com', to: SUPPORT, subject: 'Re: [Atende #1000] Printer', text: 'Fixed it.' };

const rejection = async (promise: Promise<unknown>): Promise<{ responseCode?: number; code?: string }> =>
  promise.then(
    () => ({}),
    (error: { responseCode?: number; code?: string }) => error,
  );

const storedKeys = async () => readdir(join(folder, 'raw')).catch(() => []);

describe('SMTP AUTH on the local listener', () => {
  it.each(['PLAIN', 'LOGIN'] as const)(
    'hands the lower-cased AUTH %s identity to ingest as submittedBy',
    async (method) => {
      const port = await start();

      await client(port, { user: 'Alice@Example.com', pass: 'correct horse:battery', method }).sendMail(mail);

      expect(ingested).toHaveLength(1);
      expect(ingested[0]!.submittedBy).toBe('alice@example.com');
      expect(ingested[0]!.receiptKey).toMatch(/^smtp-auth-[0-9a-f]{40}$/);
    },
  );

  it('answers 535 to a wrong secret and takes nothing', async () => {
    const port = await start();

    const error = await rejection(
      client(port, { user: 'alice@example.com', pass: 'battery', method: 'PLAIN' }).sendMail(mail),
    );

    expect(error).toMatchObject({ code: 'EAUTH', responseCode: 535 });
    expect(ingested).toEqual([]);
    expect(await storedKeys()).toEqual([]);
  });

  it('answers 535 to a user that is not in ATENDE_SMTP_USERS', async () => {
    const port = await start();

    const error = await rejection(
      client(port, { user: 'mallory@example.com', pass: 'other', method: 'LOGIN' }).sendMail(mail),
    );

    expect(error).toMatchObject({ responseCode: 535 });
    expect(ingested).toEqual([]);
  });

  it("refuses bob's secret for alice (each secret is its user's)", async () => {
    const port = await start();

    const error = await rejection(
      client(port, { user: 'alice@example.com', pass: 'other', method: 'PLAIN' }).sendMail(mail),
    );

    expect(error).toMatchObject({ responseCode: 535 });
  });

  it('refuses a PLAIN token that asks to act as another user', async () => {
    const port = await start();

    const codes = await smtpDialogue(port, [
      'EHLO client.example',
      `AUTH PLAIN ${plainToken('bob@example.com', 'other', 'alice@example.com')}`,
    ]);

    expect(codes).toEqual([220, 250, 535]);
  });

  it('does not let a session whose AUTH failed send mail as a customer, until it authenticates', async () => {
    const port = await start();

    const codes = await smtpDialogue(port, [
      'EHLO client.example',
      `AUTH PLAIN ${plainToken('alice@example.com', 'wrong')}`,
      'MAIL FROM:<alice@example.com>',
      `AUTH PLAIN ${plainToken('alice@example.com', 'correct horse:battery')}`,
      'MAIL FROM:<alice@example.com>',
    ]);

    expect(codes).toEqual([220, 250, 535, 530, 235, 250]);
  });

  it('takes mail without AUTH as a customer’s, with no submittedBy', async () => {
    const port = await start();

    await client(port).sendMail({ ...mail, from: 'ana@customer.example' });

    expect(ingested).toHaveLength(1);
    expect(ingested[0]!.submittedBy ?? null).toBeNull();
  });
});

describe('the receipt key', () => {
  const raw = Buffer.from(
    'From: ana@customer.example\r\nTo: servicedesk@example.com\r\nSubject: Printer offline\r\n\r\nIt is offline.\r\n',
  );
  const envelope = { envelopeSender: 'ana@customer.example', recipients: [SUPPORT], raw };

  it('stays what it was for mail without AUTH, so a re-send across an upgrade is still recognised', () => {
    expect(smtpReceiptKey({ ...envelope, submittedBy: null })).toBe('smtp-a6c8ec1b07f81e22d28e7837ea72050b39f49c1d');
  });

  it('differs for the same bytes submitted by two users, and from the same bytes without AUTH', () => {
    const keys = [null, 'alice@example.com', 'bob@example.com'].map((submittedBy) =>
      smtpReceiptKey({ ...envelope, submittedBy }),
    );

    expect(new Set(keys).size).toBe(3);
  });

  it('is the same for the same user, envelope and bytes (a client re-sending after a 451)', async () => {
    const port = await start();
    const alice = { user: 'alice@example.com', pass: 'correct horse:battery', method: 'PLAIN' } as const;
    const fixed = { ...mail, messageId: '<fix-1@example.com>', date: new Date('2026-12-01T10:00:00Z') };

    await client(port, alice).sendMail(fixed);
    await client(port, alice).sendMail(fixed);
    await client(port, { user: 'bob@example.com', pass: 'other', method: 'PLAIN' }).sendMail(fixed);

    const [first, again, bobs] = ingested.map((inbound) => inbound.receiptKey);
    expect(again).toBe(first);
    expect(bobs).not.toBe(first);
  });
});

describe('recipients the desk does not serve', () => {
  it('answers 550 to RCPT TO an address that is not a support address', async () => {
    const port = await start();

    const codes = await smtpDialogue(port, [
      'EHLO client.example',
      'MAIL FROM:<ana@customer.example>',
      'RCPT TO:<anyone@elsewhere.example>',
      'RCPT TO:<ServiceDesk@Example.com>',
    ]);

    expect(codes).toEqual([220, 250, 250, 550, 250]);
  });

  it('ingests a mail to a support address and a stranger with the support address alone', async () => {
    const port = await start();

    const info = await client(port).sendMail({ ...mail, to: [SUPPORT, 'eve@elsewhere.example'] });

    expect(info.rejected).toEqual(['eve@elsewhere.example']);
    expect(ingested.map((inbound) => inbound.recipients)).toEqual([[SUPPORT]]);
  });

  it('takes nothing when no recipient is served', async () => {
    const port = await start();

    const error = await rejection(client(port).sendMail({ ...mail, to: 'eve@elsewhere.example' }));

    expect(error).toMatchObject({ code: 'EENVELOPE' });
    expect(ingested).toEqual([]);
    expect(await storedKeys()).toEqual([]);
  });
});

describe('what a 250 promises', () => {
  it('stores the raw mail durably before ingest sees it', async () => {
    const seenBeforeIngest: boolean[] = [];
    const port = await start({
      ingest: async (inbound) => {
        // A second store on the same folder: the bytes are on disk, not in some buffer of the first.
        seenBeforeIngest.push(await new FileRawMailStore(join(folder, 'raw')).has(inbound.rawKey));
        return CREATED;
      },
    });

    await client(port).sendMail(mail);

    expect(seenBeforeIngest).toEqual([true]);
  });

  it('answers 250 only once ingest has returned', async () => {
    let finishIngest: (result: IngestResult) => void = () => {};
    let ingestStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (ingestStarted = resolve));
    const port = await start({
      ingest: () =>
        new Promise((resolve) => {
          finishIngest = resolve;
          ingestStarted();
        }),
    });
    let answered = false;

    const sending = client(port)
      .sendMail(mail)
      .then((info) => {
        answered = true;
        return info;
      });
    await started;
    const answeredWhileIngesting = answered;
    finishIngest(CREATED);
    const info = await sending;

    expect(answeredWhileIngesting).toBe(false);
    expect(info.response).toMatch(/^250 /);
  });

  it('answers 451 when ingest fails, keeping the raw mail for the retry', async () => {
    const port = await start({
      ingest: async () => {
        throw new Error('DynamoDB Local is restarting');
      },
    });

    const error = await rejection(client(port).sendMail(mail));

    expect(error).toMatchObject({ responseCode: 451 });
    expect(await storedKeys()).toHaveLength(1);
  });

  it('keeps a mail in the spool while it is in hand, until the client has its answer, 250 or 451', async () => {
    const spool = new SmtpSpool(join(folder, 'spool'));
    const inHand: string[][] = [];
    let fail = false;
    const port = await start({
      spool,
      ingest: async (inbound) => {
        inHand.push((await spool.held()).mail.map((entry) => entry.inbound.receiptKey));
        expect(inbound.receiptKey).toBe(inHand.at(-1)![0]);
        if (fail) throw new Error('DynamoDB Local is not answering');
        return CREATED;
      },
    });

    await client(port).sendMail(mail);
    fail = true;
    const error = await rejection(client(port).sendMail({ ...mail, subject: 'Another' }));

    expect(error).toMatchObject({ responseCode: 451 });
    expect(inHand.map((keys) => keys.length)).toEqual([1, 1]);
    expect((await spool.held()).mail).toEqual([]);
  });

  it('answers 451 and does not ingest when the raw mail cannot be stored', async () => {
    const failingStore: RawMailStore = {
      get: async () => new Uint8Array(),
      put: async () => {
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    };
    const port = await start({ rawMail: failingStore });

    const error = await rejection(client(port).sendMail(mail));

    expect(error).toMatchObject({ responseCode: 451 });
    expect(ingested).toEqual([]);
  });

  it('answers 552, not 451, to a message over the size limit (a 451 made the client retry it forever)', async () => {
    const port = await start({ maxMessageBytes: 2_000 });

    // Raw SMTP, without MAIL FROM's SIZE=, so the message itself must be measured.
    const codes = await smtpDialogue(port, [
      'EHLO client.example',
      'MAIL FROM:<ana@customer.example>',
      `RCPT TO:<${SUPPORT}>`,
      'DATA',
      `From: ana@customer.example\r\nSubject: big\r\n\r\n${`${'x'.repeat(100)}\r\n`.repeat(100)}.`,
    ]);

    expect(codes).toEqual([220, 250, 250, 250, 354, 552]);
    expect(ingested).toEqual([]);
    expect(await storedKeys()).toEqual([]);
  });
});
