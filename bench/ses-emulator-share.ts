/**
 * What the SES emulator costs of the stack's CPU. It runs inside the stack's Node process, where
 * its CPU cannot be told from the rest (it parses mail with the same mailparser atende uses), so
 * the mail a run sent is sent again, composed the same way by the LocalMailer, to an emulator in
 * a process of its own, whose CPU is read from /proc: a warm-up pass, then the measured one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalMailer } from '../lib/adapters/mail/local-mailer.ts';
import type { OutboxRecord } from '../lib/adapters/mail/outbox.ts';
import type { AttachedFile, OutgoingMail } from '../lib/application/ports/mailer.ts';
import { processCpuMs } from './cpu-usage.ts';
import { pooled } from './ingest-floor.ts';

const PROGRAM = fileURLToPath(new URL('./ses-emulator-process.ts', import.meta.url));
const WARM_UP_SENDS = 200;

/** The mail an outbox record shows, as the mailer was given it; its files as zeros of their size. */
const outgoingOf = (record: OutboxRecord): { mail: OutgoingMail; files: AttachedFile[] } => {
  const { 'Auto-Submitted': autoSubmitted, 'X-Auto-Response-Suppress': _suppress, ...headers } = record.headers;
  const address = ({ address, name }: { address: string; name: string | null }) => ({ address, name });
  return {
    mail: {
      from: address(record.from),
      to: record.to.map(address),
      cc: record.cc.map(address),
      replyTo: record.replyTo.map(address),
      subject: record.subject,
      text: record.text,
      ...(record.html === null ? {} : { html: record.html }),
      inReplyTo: record.inReplyTo,
      references: record.references,
      ...(autoSubmitted === 'auto-replied' || autoSubmitted === 'auto-generated' ? { autoSubmitted } : {}),
      headers,
    },
    files: record.attachments.map((file) => ({ ...file, content: new Uint8Array(file.size) })),
  };
};

/** CPU milliseconds an emulator of its own spends taking `records` again at `concurrency`. */
export async function emulatorCpuOfReplay(
  records: readonly OutboxRecord[],
  concurrency: number,
): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROGRAM], { stdio: ['ignore', 'pipe', 'inherit'] });
  const dataDirectory = await mkdtemp(join(tmpdir(), 'atende-bench-emulator-'));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let mailer: LocalMailer | null = null;
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find((candidate) => candidate.startsWith('http://'));
        if (line !== undefined) resolve(line.trim());
      });
      child.once('exit', (code) => reject(new Error(`the SES emulator process exited with ${code}`)));
    });
    const sender = new LocalMailer({ endpoint, dataDirectory });
    mailer = sender;
    const replay = (count: number) =>
      pooled(count, concurrency, async (index) => {
        const { mail, files } = outgoingOf(records[index % records.length]!);
        await sender.send(mail, files);
      });
    await replay(Math.min(WARM_UP_SENDS, records.length));
    const clear = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    if (!clear.ok) throw new Error(`the SES emulator refused to clear its store: ${clear.status}`);
    const pid = child.pid;
    const before = pid === undefined ? null : processCpuMs(pid);
    await replay(records.length);
    const after = pid === undefined ? null : processCpuMs(pid);
    return before === null || after === null ? null : after - before;
  } finally {
    mailer?.close();
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dataDirectory, { recursive: true, force: true });
  }
}
