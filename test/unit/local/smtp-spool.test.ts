import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resumeSpooledMail, SmtpSpool } from '../../../lib/adapters/local/smtp-spool.ts';
import { type InboundEmail, ingestEmail } from '../../../lib/application/ingest-email.ts';
import { AtendeError } from '../../../lib/domain/atende-error.ts';
import { pipeline } from '../../support/ingest-pipeline.ts';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'atende-spool-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const inbound = (key: string): InboundEmail => ({
  receiptKey: key,
  rawKey: `inbound/${key}`,
  recipients: ['servicedesk@example.com'],
  envelopeSender: 'ana@customer.example',
  verdicts: {},
  submittedBy: null,
});

const throttled = () =>
  new AtendeError('mail.throttled', 'SES refused the mail: Throttling', { details: { retryable: true } });

describe('the SMTP listener’s spool', () => {
  it('keeps an entry for each mail in hand until it is released, two deliveries of one mail apart', async () => {
    const spool = new SmtpSpool(join(folder, 'spool'));

    const first = await spool.hold(inbound('smtp-a'));
    const again = await spool.hold(inbound('smtp-a'));
    await spool.hold(inbound('smtp-b'));
    await spool.release(first);

    const { mail, unreadable } = await spool.held();
    expect(mail.map((entry) => entry.inbound.receiptKey).sort()).toEqual(['smtp-a', 'smtp-b']);
    expect(mail.find((entry) => entry.inbound.receiptKey === 'smtp-a')).toEqual({
      id: again,
      inbound: inbound('smtp-a'),
    });
    expect(unreadable).toEqual([]);
  });

  it('holds nothing before its folder exists', async () => {
    expect(await new SmtpSpool(join(folder, 'never')).held()).toEqual({ mail: [], unreadable: [] });
  });

  it('finishes at start-up the event a dead run held the lease of, without waiting for the lease to end', async () => {
    const { deps, rawMail, receive, mailer, store, sentTo } = pipeline();
    // The first attempt commits the ticket and dies before its mail is settled, holding the lease.
    mailer.failNext(throttled(), 2);
    await expect(receive({ subject: 'Printer offline' }, { key: 'smtp-dead' })).rejects.toThrow('Throttling');
    expect(await store.getReceipt('smtp-dead')).toMatchObject({ owed: [{ kind: 'mail' }, { kind: 'mail' }] });
    const spool = new SmtpSpool(join(folder, 'spool'));
    await spool.hold({ ...inbound('smtp-dead'), rawKey: 'inbound/smtp-dead' });
    expect(await rawMail.get('inbound/smtp-dead')).toBeDefined();
    const lines: string[] = [];

    const finished = await resumeSpooledMail({
      spool,
      store,
      ingest: (mail) => ingestEmail(deps, mail),
      log: (line) => lines.push(line),
    });

    expect(finished).toBe(1);
    expect(await store.getReceipt('smtp-dead')).toMatchObject({ owed: [], leaseUntil: null });
    expect(sentTo('ana@customer.example')).toHaveLength(1);
    expect(sentTo('servicedesk-agents@example.com')).toHaveLength(1);
    expect((await spool.held()).mail).toEqual([]);
    expect(lines.join('\n')).toContain('smtp-dead resumed after a restart');
  });

  it('keeps the entry of a mail that fails again, for the next start, and removes one that is not an entry', async () => {
    const { deps, receive, mailer, store } = pipeline();
    mailer.failNext(throttled(), 4);
    await expect(receive({}, { key: 'smtp-failing' })).rejects.toThrow('Throttling');
    const spool = new SmtpSpool(join(folder, 'spool'));
    await spool.hold({ ...inbound('smtp-failing'), rawKey: 'inbound/smtp-failing' });
    await writeFile(join(folder, 'spool', 'hand-edit.json'), '{"receiptKey":', 'utf8');
    const lines: string[] = [];

    const finished = await resumeSpooledMail({
      spool,
      store,
      ingest: (mail) => ingestEmail(deps, mail),
      log: (line) => lines.push(line),
    });

    expect(finished).toBe(0);
    expect((await spool.held()).mail.map((entry) => entry.inbound.receiptKey)).toEqual(['smtp-failing']);
    expect(await readdir(join(folder, 'spool'))).not.toContain('hand-edit.json');
    expect(lines.join('\n')).toMatch(/hand-edit is unreadable[\s\S]*smtp-failing could not be resumed/);
  });
});
