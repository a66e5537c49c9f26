import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';
import { repositoryPath } from '../support/policy-fixtures.ts';
import { runCli } from '../support/run-cli.ts';
import { smtpDialogue } from '../support/smtp-dialogue.ts';

/**
 * The local stack as a newcomer runs it (`npm start`), driven by a real SMTP client (nodemailer)
 * and read back with the `atende` commands, exactly as the README shows.
 */
let stack: LocalStackProcess;
let smtp: ReturnType<typeof createTransport>;

/** The agents who may sign in: Alice as the README's example has her, Bob with colons in his secret. */
const SMTP_USERS = 'alice@example.com:s3cret,Bob@Example.com:pass:with:colons';
const smtpPort = () => Number(stack.environment.ATENDE_SMTP_PORT);
const signedIn = (user: string, pass: string, method: 'PLAIN' | 'LOGIN') =>
  createTransport({
    host: '127.0.0.1',
    port: smtpPort(),
    secure: false,
    ignoreTLS: true,
    auth: { user, pass },
    authMethod: method,
  });

/** A shell command the README shows, found by what it contains, pointed at this stack's port. */
const readmeCommand = (containing: string): string => {
  const command = readFileSync(repositoryPath('README.md'), 'utf8')
    .split('\n')
    .find((line) => line.startsWith('python3 -c "import smtplib') && line.includes(containing));
  if (!command) throw new Error(`the README shows no python3 smtplib command with ${containing}`);
  return command.replaceAll('2525', String(smtpPort()));
};
const runShell = (command: string) => execFileSync('sh', ['-c', command], { stdio: 'pipe' });
const ticketNumberIn = (subject: string) => Number(/#(\d+)/.exec(subject)![1]);
/** A terminal control, bidi control or line separator printed as it is. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

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
  stack = await startLocalStackProcess({ ATENDE_SMTP_USERS: SMTP_USERS });
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

  it('relays a staff reply fed with --verdict dkim=PASS (the From domain signed it), and not without it', async () => {
    const created = JSON.parse(
      await cli('ingest', ingestFile('customer.eml', 'marta@cliente.example', 'Printer jam'), '--json'),
    );
    const tag = `[Atende #${created.ticketNumber}]`;
    const unproven = ingestFile('staff-reply.eml', 'dora@example.com', `Re: ${tag} Printer jam`);
    // The same file again would be the same mail (its Message-ID): the agent writes anew.
    const signed = ingestFile('staff-reply-signed.eml', 'dora@example.com', `Re: ${tag} Printer jam`);

    expect(JSON.parse(await cli('ingest', unproven, '--json'))).toMatchObject({
      outcome: 'recorded',
      kind: 'unauthenticated-staff',
    });
    expect(JSON.parse(await cli('ingest', signed, '--verdict', 'dkim=PASS', '--json'))).toMatchObject({
      outcome: 'relayed',
      ticketNumber: created.ticketNumber,
    });
  });
});

/** A small raw mail in the stack's data directory, for `atende ingest`. */
function ingestFile(name: string, from: string, subject: string): string {
  const file = join(stack.environment.ATENDE_DATA_DIR, name);
  writeFileSync(
    file,
    `From: ${from}\r\nTo: servicedesk@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${name}-${Date.now()}@mail.example>\r\n\r\nPlease clear the jam in tray 2.\r\n`,
  );
  return file;
}

describe('agents signed in with SMTP AUTH', () => {
  it('takes an agent’s reply submitted with AUTH PLAIN, and one with AUTH LOGIN, and relays both', async () => {
    await send({ from: 'carla@customer.example', subject: 'VPN drops every hour', text: 'The VPN drops every hour.' });
    const [ack] = await mailTo('carla@customer.example');
    const tag = `[Atende #${ticketNumberIn(ack!.subject)}]`;

    const plain = await signedIn('alice@example.com', 's3cret', 'PLAIN').sendMail({
      from: 'Alice <alice@example.com>',
      to: 'servicedesk@example.com',
      subject: `Re: ${tag} VPN drops every hour`,
      text: 'Please update the client to 5.2.',
    });
    const login = await signedIn('bob@example.com', 'pass:with:colons', 'LOGIN').sendMail({
      from: 'Bob <bob@example.com>',
      to: 'servicedesk@example.com',
      subject: `Re: ${tag} VPN drops every hour`,
      text: 'Did the update help?',
    });

    expect([plain.response, login.response]).toEqual([expect.stringMatching(/^250 /), expect.stringMatching(/^250 /)]);
    const texts = (await mailTo('carla@customer.example')).map((mail) => mail.text);
    expect(texts.some((text) => text.includes('Please update the client to 5.2.'))).toBe(true);
    expect(texts.some((text) => text.includes('Did the update help?'))).toBe(true);
  });

  it('refuses a wrong secret with 535 and takes nothing', async () => {
    const before = { tickets: (await tickets()).length, outbox: (await outbox()).length };

    const error = await signedIn('alice@example.com', 'guess', 'PLAIN')
      .sendMail({ from: 'alice@example.com', to: 'servicedesk@example.com', subject: 'Hi', text: 'Guessing.' })
      .then(
        () => null,
        (failure: { responseCode?: number }) => failure,
      );

    expect(error).toMatchObject({ responseCode: 535 });
    expect({ tickets: (await tickets()).length, outbox: (await outbox()).length }).toEqual(before);
  });
});

describe('recipients the desk does not serve', () => {
  it('answers 550 to RCPT TO an address that is not a support address', async () => {
    const codes = await smtpDialogue(smtpPort(), [
      'EHLO client.example',
      'MAIL FROM:<ana@customer.example>',
      'RCPT TO:<sales@elsewhere.example>',
      'QUIT',
    ]);

    expect(codes).toEqual([220, 250, 250, 550, 221]);
  });
});

describe('what the README shows', () => {
  it('its first mail (python3 smtplib) reaches Lucía’s ticket, and an agent’s AUTH reply reaches her', async () => {
    runShell(readmeCommand('sendmail'));
    const [lucia] = (await tickets()).filter((entry) => entry.requester === 'lucia@cliente.example');
    expect(lucia).toMatchObject({ subject: 'No puedo entrar a mi cuenta' });
    expect(
      (await ticket(lucia!.number)).messages.some((message) => message.text.includes('desde ayer no puedo entrar')),
    ).toBe(true);

    runShell(readmeCommand('login').replaceAll('#1000', `#${lucia!.number}`));

    const relay = (await mailTo('lucia@cliente.example')).find((mail) => mail.text.includes('ya puede entrar'));
    expect(relay).toBeDefined();
    expect(relay!.text).not.toContain('#status');
    expect((await ticket(lucia!.number)).status).toBe('waiting-on-customer');
  });
});

describe('what the terminal shows', () => {
  it('prints a hostile customer’s subject and text with visible escapes in tickets list, tickets show and outbox', async () => {
    await send({
      from: 'hacker@customer.example',
      subject: 'Invoice \x1b]0;pwned\x07\u202eexe.fdp',
      text: 'Hello\x1b[2J\x1b[H\x07 please \u202erefund\u202c me.\r\nThanks',
    });
    const [ack] = await mailTo('hacker@customer.example');
    const number = ticketNumberIn(ack!.subject);

    const list = await cli('tickets', 'list');
    const show = await cli('tickets', 'show', String(number));
    const sent = await cli('outbox');

    for (const output of [list, show, sent]) expect(output).not.toMatch(RAW_CONTROL);
    expect(show).toContain('Hello\\x1b[2J\\x1b[H\\x07 please \\u202erefund\\u202c me.\nThanks');
    expect(list.split('\n').filter((line) => line.includes('hacker@customer.example'))).toHaveLength(1);
  });
});
