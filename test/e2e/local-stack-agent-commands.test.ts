import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';
import { runCli } from '../support/run-cli.ts';

/**
 * Agents working by e-mail on the local stack: customers write through the SMTP listener, Alice
 * answers signed in (SMTP AUTH), `atende outbox` and `atende tickets show` say what happened.
 */
let stack: LocalStackProcess;
let smtp: ReturnType<typeof createTransport>;
let alice: ReturnType<typeof createTransport>;

interface OutboxMail {
  to: string[];
  cc: string[];
  from: string;
  fromName: string | null;
  subject: string;
  messageId: string;
  text: string;
}

const cli = async (...args: string[]) => {
  const run = await runCli(...args);
  if (run.exitCode !== 0) throw new Error(`atende ${args.join(' ')} exited ${run.exitCode}: ${run.stderr}`);
  return run.stdout;
};
const outbox = async (): Promise<OutboxMail[]> => JSON.parse(await cli('outbox', '--json'));
const mailTo = async (address: string) => (await outbox()).filter((mail) => mail.to.includes(address));
const ticket = async (number: number): Promise<{ status: string; messages: { purpose: string }[] }> =>
  JSON.parse(await cli('tickets', 'show', String(number), '--json'));
const numberIn = (subject: string) => Number(/#(\d+)/.exec(subject)![1]);

/** A customer's new ticket: its number and the agents' notice Alice answers. */
async function customerWrites(from: string, subject: string) {
  await smtp.sendMail({ from, to: 'servicedesk@example.com', subject, text: `${subject}: please help.` });
  const [ack] = await mailTo(from);
  const number = numberIn(ack!.subject);
  const notice = (await mailTo('servicedesk-agents@example.com')).find((mail) => numberIn(mail.subject) === number)!;
  return { number, notice };
}

const aliceAnswers = (notice: OutboxMail, text: string) =>
  alice.sendMail({
    from: 'Alice <alice@example.com>',
    to: 'servicedesk@example.com',
    subject: `Re: ${notice.subject}`,
    inReplyTo: notice.messageId,
    text,
  });

/** What the customer received apart from the acknowledgement. */
const answersTo = async (address: string, number: number) =>
  (await mailTo(address)).filter((mail) => numberIn(mail.subject) === number).slice(1);

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

describe('agents answering by e-mail on the local stack', () => {
  it('a mistyped command reaches no customer, and Alice is told what was not understood', async () => {
    const { number, notice } = await customerWrites('ana@customer.example', 'Printer offline');

    await aliceAnswers(notice, '#status wating\nHi Ana, please restart the printer.');

    expect(await answersTo('ana@customer.example', number)).toEqual([]);
    const [told] = (await mailTo('alice@example.com')).filter((mail) => numberIn(mail.subject) === number);
    expect(told!.text).toContain('"wating" is not a value #status knows. Did you mean "waiting"?');
    expect((await ticket(number)).status).toBe('new');
  });

  it('a #note reaches the agents only', async () => {
    const { number, notice } = await customerWrites('bruno@customer.example', 'Invoice is wrong');

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
    const { number, notice } = await customerWrites('carla@customer.example', 'Cannot log in');

    await aliceAnswers(notice, '#resolve\nHi Carla, your password is reset.\n\n-- \nAlice, Tier 1');

    const [relay, summary] = await answersTo('carla@customer.example', number);
    expect(relay).toMatchObject({ from: 'servicedesk@example.com', fromName: 'Alice via Atende Support' });
    expect(relay!.text).toContain('your password is reset');
    expect(relay!.text).not.toContain('Tier 1');
    expect(summary!.text).toMatch(/\/survey\//);
    expect((await ticket(number)).status).toBe('resolved');
  });
});
