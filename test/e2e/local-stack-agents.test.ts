import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';
import { repositoryPath } from '../support/policy-fixtures.ts';
import { runCli } from '../support/run-cli.ts';

/**
 * Agents working by e-mail on the local stack, as the README's agents section shows it: customers
 * write through the SMTP listener, Alice answers signed in with SMTP AUTH, her command lines change
 * the ticket, her notes stay among the agents, attachments travel both ways, and the stack's clock
 * (`atende clock advance`) ends the follow-up throttle window. One stack for the whole file.
 */
let stack: LocalStackProcess;
let smtp: ReturnType<typeof createTransport>;
let alice: ReturnType<typeof createTransport>;

const AGENTS = 'servicedesk-agents@example.com';

interface OutboxMail {
  from: string;
  fromName: string | null;
  to: string[];
  cc: string[];
  subject: string;
  messageId: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  attachments?: { filename: string | null; contentType: string; size: number }[];
}
interface TicketView {
  number: number;
  status: string;
  priority: string;
  assignee: string | null;
  messages: {
    direction: string;
    purpose: string;
    from: string;
    text: string;
    attachments: { filename: string | null; size: number }[];
  }[];
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
const numberIn = (subject: string) => Number(/#(\d+)/.exec(subject)![1]);
const about = (number: number) => (mail: OutboxMail) => numberIn(mail.subject) === number;
/** What the customer received about the ticket apart from the acknowledgement. */
const answersTo = async (address: string, number: number) => (await mailTo(address)).filter(about(number)).slice(1);

interface Attachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/** A customer's new ticket: its number, the acknowledgement and the agents' notice (what an agent answers). */
async function customerWrites(from: string, subject: string, text: string, attachments: Attachment[] = []) {
  await smtp.sendMail({ from, to: 'servicedesk@example.com', subject, text, attachments });
  const address = /<(.+)>/.exec(from)?.[1] ?? from;
  const ack = (await mailTo(address)).at(-1)!;
  const number = numberIn(ack.subject);
  const notice = (await mailTo(AGENTS)).find(about(number))!;
  return { number, address, ack, notice };
}

/** Alice, signed in, answers the agents' notice above its reply marker. */
const aliceAnswers = (notice: OutboxMail, text: string, attachments: Attachment[] = []) =>
  alice.sendMail({
    from: 'Alice Martins <alice@example.com>',
    to: 'servicedesk@example.com',
    subject: `Re: ${notice.subject}`,
    inReplyTo: notice.messageId,
    references: notice.messageId,
    text,
    attachments,
  });

/** A small PNG, as a customer's screenshot would be. */
const screenshot = (): Attachment => ({
  filename: 'screenshot.png',
  contentType: 'image/png',
  content: Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
});

beforeAll(async () => {
  stack = await startLocalStackProcess({ ATENDE_SMTP_USERS: 'alice@example.com:s3cret' });
  Object.assign(process.env, stack.environment);
  const port = Number(stack.environment.ATENDE_SMTP_PORT);
  smtp = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  alice = createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    auth: { user: 'alice@example.com', pass: 's3cret' },
  });
}, 60_000);

afterAll(async () => {
  smtp?.close();
  alice?.close();
  expect(await stack?.stop()).toBe(0);
});

describe('agents by e-mail on the local stack', () => {
  it('a mistyped command reaches no customer, and Alice is told what was not understood', async () => {
    const { number, notice } = await customerWrites(
      'ana@customer.example',
      'Printer offline',
      'Printer offline: please help.',
    );

    await aliceAnswers(notice, '#status wating\nHi Ana, please restart the printer.');

    expect(await answersTo('ana@customer.example', number)).toEqual([]);
    const [told] = (await mailTo('alice@example.com')).filter((mail) => numberIn(mail.subject) === number);
    expect(told!.text).toContain('"wating" is not a value #status knows. Did you mean "waiting"?');
    expect((await ticket(number)).status).toBe('new');
  });

  it('a #note reaches the agents only', async () => {
    const { number, notice } = await customerWrites(
      'bruno@customer.example',
      'Invoice is wrong',
      'Invoice is wrong: please help.',
    );

    await aliceAnswers(notice, '#note\nDon’t promise a callback: billing is closed today.');

    expect(await answersTo('bruno@customer.example', number)).toEqual([]);
    const notes = (await mailTo('servicedesk-agents@example.com')).filter((mail) =>
      mail.subject.startsWith('Internal note'),
    );
    expect(notes.map((mail) => [numberIn(mail.subject), mail.to])).toEqual([
      [number, ['servicedesk-agents@example.com']],
    ]);
    expect((await ticket(number)).messages.map((message) => message.purpose)).toContain('internal-note');
  });

  it('#resolve relays the answer under Alice’s name, then the resolution summary with the survey', async () => {
    const { number, notice } = await customerWrites(
      'carla@customer.example',
      'Cannot log in',
      'Cannot log in: please help.',
    );

    await aliceAnswers(notice, '#resolve\nHi Carla, your password is reset.\n\n-- \nAlice, Tier 1');

    // The event's mail is sent together: find each by what it says, not by the order it left in.
    const answers = await answersTo('carla@customer.example', number);
    expect(answers).toHaveLength(2);
    const relay = answers.find((mail) => mail.text.includes('your password is reset'));
    const summary = answers.find((mail) => mail !== relay);
    expect(relay).toMatchObject({ from: 'servicedesk@example.com', fromName: 'Alice Martins via Atende Support' });
    expect(relay!.text).toContain('your password is reset');
    expect(relay!.text).not.toContain('Tier 1');
    expect(summary!.text).toMatch(/\/survey\//);
    expect((await ticket(number)).status).toBe('resolved');
  });
  it("attaches a customer's screenshot to the agents' notice and keeps it for `atende attachments get`", async () => {
    const opened = await customerWrites(
      'Carmen Ruiz <carmen@customer.example>',
      'Error on the invoices page',
      'The invoices page shows an error, screenshot attached (and the tool that shows it).',
      [
        screenshot(),
        { filename: 'invoice-viewer.exe', contentType: 'application/octet-stream', content: Buffer.from('MZ') },
      ],
    );
    // The program is kept on the ticket but never forwarded, and the agents are told.
    expect(opened.notice.attachments?.map((file) => file.filename)).toEqual(['screenshot.png']);
    expect(opened.notice.text).toContain('invoice-viewer.exe');
    const kept = await ticket(opened.number);
    expect(kept.messages[0]!.attachments.map((file) => file.filename)).toEqual([
      'screenshot.png',
      'invoice-viewer.exe',
    ]);

    const out = join(stack.environment.ATENDE_DATA_DIR, 'got-screenshot.png');
    await cli('attachments', 'get', String(opened.number), 'screenshot.png', '--out', out);
    expect(readFileSync(out).equals(screenshot().content)).toBe(true);
  }, 60_000);

  it("relays an agent's attachment to the customer", async () => {
    const opened = await customerWrites(
      'Diego Alves <diego@customer.example>',
      'How do I export my data?',
      'Where can I export all my data as CSV?',
    );
    const guide: Attachment = {
      filename: 'export-guide.pdf',
      contentType: 'application/pdf',
      content: Buffer.from('%PDF-1.4\n% export guide\n'),
    };
    await aliceAnswers(opened.notice, 'Hello Diego, the attached guide shows the export step by step.', [guide]);

    const relay = (await mailTo(opened.address)).find((mail) => mail.text.includes('step by step'))!;
    expect(relay.attachments?.map((file) => file.filename)).toEqual(['export-guide.pdf']);
  }, 60_000);

  it('collects three throttled follow-ups into one mail to the agents at the end of the window', async () => {
    const opened = await customerWrites(
      'Elena Costa <elena@customer.example>',
      'Sync stopped',
      'The calendar sync stopped an hour ago.',
    );
    const followUps = ['Still not syncing.', 'Now the contacts stopped too.', 'Any news? It is urgent for us.'];
    for (const text of followUps) {
      await smtp.sendMail({
        from: 'Elena Costa <elena@customer.example>',
        to: 'servicedesk@example.com',
        subject: `Re: ${opened.ack.subject}`,
        inReplyTo: opened.ack.messageId,
        text,
      });
    }
    const beforeWindowEnds = (await mailTo(AGENTS)).filter(about(opened.number));
    expect(beforeWindowEnds.map((mail) => mail.messageId)).toEqual([opened.notice.messageId]);

    await cli('clock', 'advance', '41m');

    const collected = (await mailTo(AGENTS)).filter(about(opened.number)).slice(1);
    expect(collected).toHaveLength(1);
    for (const text of followUps) expect(collected[0]!.text).toContain(text);
    // The customer got one acknowledgement, for the ticket, and nothing for the follow-ups.
    expect((await mailTo(opened.address)).map((mail) => mail.messageId)).toEqual([opened.ack.messageId]);
  }, 60_000);

  it("runs the README's command mail: #prioridad alta and #tomar change ticket 1000 and Alice is told", async () => {
    const command = readFileSync(repositoryPath('README.md'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('python3 -c "import smtplib') && line.includes('#prioridad alta'));
    expect(command).toBeDefined();
    const before = (await mailTo('alice@example.com')).length;

    execFileSync('sh', ['-c', command!.replaceAll('2525', stack.environment.ATENDE_SMTP_PORT)], { stdio: 'pipe' });

    const shown = await ticket(1000);
    expect(shown).toMatchObject({ priority: 'high', assignee: 'alice@example.com' });
    const confirmation = (await mailTo('alice@example.com')).slice(before);
    expect(confirmation.map((mail) => mail.subject)).toEqual(['Commands applied: [Atende #1000] Printer offline']);
  }, 60_000);
});
