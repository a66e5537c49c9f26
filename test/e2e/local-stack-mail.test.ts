import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';
import { runCli } from '../support/run-cli.ts';

/**
 * The local stack as a newcomer runs it (`npm start`), driven by a real SMTP client (nodemailer)
 * and read back with the `atende` commands, exactly as the README shows.
 */
let stack: LocalStackProcess;
let smtp: ReturnType<typeof createTransport>;

interface OutboxMail {
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  messageId: string;
  inReplyTo: string | null;
  headers: Record<string, string>;
  text: string;
}
interface TicketView {
  number: number;
  status: string;
  requester: string;
  subject: string;
  locale: string;
  flags: string[];
  messages: { direction: string; from: string; text: string; messageId: string | null }[];
}

const cli = async (...args: string[]) => {
  const run = await runCli(...args);
  if (run.exitCode !== 0) throw new Error(`atende ${args.join(' ')} exited ${run.exitCode}: ${run.stderr}`);
  return run.stdout;
};
const outbox = async (): Promise<OutboxMail[]> => JSON.parse(await cli('outbox', '--json'));
const mailTo = async (address: string) => (await outbox()).filter((mail) => mail.to.includes(address));
const ticket = async (number: number): Promise<TicketView> =>
  JSON.parse(await cli('tickets', 'show', String(number), '--json'));
const tickets = async (): Promise<TicketView[]> => JSON.parse(await cli('tickets', 'list', '--json'));

const send = (mail: {
  from: string;
  subject: string;
  text: string;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
  to?: string;
}) => smtp.sendMail({ to: mail.to ?? 'servicedesk@example.com', ...mail });

beforeAll(async () => {
  stack = await startLocalStackProcess();
  Object.assign(process.env, stack.environment);
  smtp = createTransport({
    host: '127.0.0.1',
    port: Number(stack.environment.ATENDE_SMTP_PORT),
    secure: false,
    ignoreTLS: true,
  });
}, 60_000);

afterAll(async () => {
  smtp?.close();
  const code = await stack?.stop();
  expect(code).toBe(0);
  // Ctrl-C / SIGTERM stops every child: no DynamoDB Local is left behind.
  const java = execFileSync('ps', ['-eo', 'pid,args'])
    .toString()
    .split('\n')
    .filter((line) => line.includes(stack.environment.ATENDE_DATA_DIR) && line.includes('java'));
  expect(java).toEqual([]);
});

describe('mail to the local stack', () => {
  it('opens a ticket and acknowledges it in Spanish', async () => {
    await send({
      from: 'Lucía Pérez <lucia@cliente.example>',
      subject: 'No puedo entrar a mi cuenta',
      text: 'Hola, desde ayer no puedo entrar a mi cuenta y necesito las facturas. ¿Me pueden ayudar?',
    });
    const [ack] = await mailTo('lucia@cliente.example');
    expect(ack!.subject).toMatch(/^\[Atende #\d+\] No puedo entrar a mi cuenta$/);
    expect(ack!.text).toContain('Gracias');
    expect(ack!.headers['Auto-Submitted']).toBe('auto-replied');
    const [listed] = (await tickets()).filter((entry) => entry.requester === 'lucia@cliente.example');
    expect(listed).toMatchObject({ status: 'new', subject: 'No puedo entrar a mi cuenta' });
  });

  it('acknowledges a Brazilian customer in Portuguese', async () => {
    await send({
      from: 'João Silva <joao@cliente.example>',
      subject: 'Fatura com valor errado',
      text: 'Olá, a fatura deste mês veio com o valor errado. Vocês podem verificar, por favor? Obrigado.',
    });
    const [ack] = await mailTo('joao@cliente.example');
    expect(ack!.text).toMatch(/Olá|Obrigad/);
  });

  it('threads replies by header, by tag and by subject, and a stranger gets a ticket of their own', async () => {
    await send({
      from: 'ana@customer.example',
      subject: 'Printer offline',
      text: 'The printer on the third floor is offline.',
    });
    const [ack] = await mailTo('ana@customer.example');
    const number = Number(/#(\d+)/.exec(ack!.subject)![1]);

    await send({
      from: 'ana@customer.example',
      subject: 'Re: anything',
      text: 'It also blinks red.',
      inReplyTo: ack!.messageId,
      references: ack!.messageId,
    });
    await send({
      from: 'ana@customer.example',
      subject: `RE: [Atende #${number}] Printer offline`,
      text: 'Photo attached.',
    });
    await send({
      from: 'ana@customer.example',
      subject: 'Fwd: printer offline',
      text: 'Forwarding what my colleague said.',
    });
    expect(
      (await ticket(number)).messages
        .filter((message) => message.direction === 'inbound')
        .map((message) => message.text.trim()),
    ).toEqual([
      'The printer on the third floor is offline.',
      'It also blinks red.',
      'Photo attached.',
      'Forwarding what my colleague said.',
    ]);

    await send({
      from: 'mallory@attacker.example',
      subject: `Re: [Atende #${number}] Printer offline`,
      text: 'What is the status?',
      inReplyTo: ack!.messageId,
    });
    const [theirs] = await mailTo('mallory@attacker.example');
    expect(theirs!.subject).not.toContain(`#${number}`);
    expect((await ticket(number)).messages.some((message) => message.from === 'mallory@attacker.example')).toBe(false);
  });

  it('never answers an out-of-office reply or a bounce', async () => {
    await send({
      from: 'bea@customer.example',
      subject: 'Cannot export reports',
      text: 'The export button does nothing.',
    });
    const [ack] = await mailTo('bea@customer.example');
    const before = (await outbox()).length;

    await send({
      from: 'bea@customer.example',
      subject: `Automatic reply: ${ack!.subject}`,
      text: 'I am out of the office until Monday.',
      inReplyTo: ack!.messageId,
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await smtp.sendMail({
      envelope: { from: '', to: 'servicedesk@example.com' },
      from: 'Mail Delivery System <MAILER-DAEMON@mx.customer.example>',
      to: 'servicedesk@example.com',
      subject: 'Undelivered Mail Returned to Sender',
      text: `<bea@customer.example>: mailbox full\n\n--- returned headers ---\nMessage-ID: ${ack!.messageId}\n`,
    });

    expect((await outbox()).length).toBe(before);
    const number = Number(/#(\d+)/.exec(ack!.subject)![1]);
    expect((await ticket(number)).messages.filter((message) => message.direction === 'inbound')).toHaveLength(3);
  });

  it('stops a mail loop with an autoresponder after one acknowledgement', async () => {
    await send({ from: 'robot@autoresponder.example', subject: 'Hello', text: 'Is anyone there?' });
    for (let round = 1; round <= 4; round++)
      await send({
        from: 'robot@autoresponder.example',
        subject: `Thank you for your message ${round}`,
        text: 'We have received your message and will reply soon.',
      });
    expect(await mailTo('robot@autoresponder.example')).toHaveLength(1);
  });

  it('masks an API key in the stored ticket and tells the customer why', async () => {
    const key = 'sk_live_51HqLyjWDarjtT1zdp7dcXwS9aGGkP3tR';
    await send({
      from: 'dev@customer.example',
      subject: 'API returns 401',
      text: `All calls fail with 401. Our key is ${key}.`,
    });
    const [ack] = await mailTo('dev@customer.example');
    expect(ack!.text.toLowerCase()).toContain('masked');
    const number = Number(/#(\d+)/.exec(ack!.subject)![1]);
    const stored = await ticket(number);
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(stored.flags).toContain('secrets-masked');
  });

  it('feeds a raw mail through the same path as SES with atende ingest, honouring verdicts', async () => {
    const file = join(stack.environment.ATENDE_DATA_DIR, 'spam.eml');
    writeFileSync(
      file,
      'From: winner@lottery.example\r\nTo: servicedesk@example.com\r\nSubject: You won\r\nMessage-ID: <spam-1@lottery.example>\r\n\r\nClaim now.\r\n',
    );
    const before = (await outbox()).length;
    expect(JSON.parse(await cli('ingest', file, '--verdict', 'spam=FAIL', '--json'))).toMatchObject({
      outcome: 'quarantined',
      reason: 'inbound.spam',
    });
    expect(JSON.parse(await cli('ingest', file, '--to', 'installteam@example.com', '--json'))).toMatchObject({
      outcome: 'created',
    });
    expect((await outbox()).length).toBe(before + 2);
    expect(readFileSync(file, 'utf8')).toContain('Claim now.');
  });
});
