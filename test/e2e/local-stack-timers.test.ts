import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';
import { runCli } from '../support/run-cli.ts';

/**
 * SLA timers on the local stack as a newcomer drives them: mail through the SMTP listener, agents
 * answering with SMTP AUTH, `atende clock advance` moving the stack's time and firing what is due,
 * `atende outbox` showing what went out. One stack for the whole file: its clock only moves forward.
 */
let stack: LocalStackProcess;
let smtp: ReturnType<typeof createTransport>;
let alice: ReturnType<typeof createTransport>;

interface OutboxMail {
  to: string[];
  subject: string;
  messageId: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
}
interface TicketView {
  number: number;
  status: string;
  escalationLevel: number;
  satisfaction: { rating: string; comment: string | null } | null;
  timerLog: { key: string }[];
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

/** A customer's new ticket: its number and the agents' notice (what an agent answers). */
async function customerWrites(from: string, subject: string, text: string) {
  await smtp.sendMail({ from, to: 'servicedesk@example.com', subject, text });
  const address = /<(.+)>/.exec(from)?.[1] ?? from;
  const [ack] = await mailTo(address);
  const number = numberIn(ack!.subject);
  const notice = (await mailTo('servicedesk-agents@example.com')).find((mail) => numberIn(mail.subject) === number)!;
  return { number, ack: ack!, notice };
}

/** Alice, signed in, answers the agents' notice. */
const aliceAnswers = (notice: OutboxMail, text: string) =>
  alice.sendMail({
    from: 'Alice <alice@example.com>',
    to: 'servicedesk@example.com',
    subject: `Re: ${notice.subject}`,
    inReplyTo: notice.messageId,
    text,
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

describe('timers on the local stack', () => {
  it('escalates an unanswered ticket to the service manager after `clock advance 30h`, and not one an agent answered in time', async () => {
    const unanswered = await customerWrites(
      'Ana Souza <ana@customer.example>',
      'Weekly report is empty',
      'Since this morning the weekly report shows no data at all.',
    );
    const answered = await customerWrites(
      'Bruno Lima <bruno@customer.example>',
      'Cannot add a user',
      'The "add user" button does nothing when I click it.',
    );
    await aliceAnswers(answered.notice, 'Hello Bruno, we are looking at the button now.');
    const timers = JSON.parse(await cli('timers', '--json')) as { ticket: number; kind: string }[];
    expect(timers.map((timer) => timer.ticket).sort()).toEqual([unanswered.number, answered.number].sort());

    const advanced = await runCli('clock', 'advance', '30h');
    expect(advanced.exitCode).toBe(0);

    const escalations = await mailTo('service-manager@example.com');
    expect(escalations.map((mail) => numberIn(mail.subject))).toEqual([unanswered.number]);
    expect(escalations[0]!.subject).toContain(`[Atende #${unanswered.number}]`);
    expect(escalations[0]!.text).toContain('Weekly report is empty');
    expect((await ticket(answered.number)).escalationLevel).toBe(0);

    // Whatever day this runs, three days more reach the last level: Fulfillment Manager, then Owner.
    await cli('clock', 'advance', '3d');
    expect((await mailTo('fulfillment-manager@example.com')).map((mail) => numberIn(mail.subject))).toContain(
      unanswered.number,
    );
    expect((await mailTo('owner@example.com')).map((mail) => numberIn(mail.subject))).toContain(unanswered.number);
    const firstResponse = (view: TicketView) =>
      view.timerLog.map((acted) => acted.key).filter((key) => key.startsWith('firstResponse.'));
    expect(firstResponse(await ticket(unanswered.number))).toEqual([
      'firstResponse.warning',
      'firstResponse.breach',
      'firstResponse.escalation.1',
      'firstResponse.escalation.2',
      'firstResponse.escalation.3',
    ]);
    // Answered in time: its first response never escalated (its resolution, three business days on, may have).
    expect(firstResponse(await ticket(answered.number))).toEqual([]);
    expect((await ticket(unanswered.number)).escalationLevel).toBe(3);
  }, 120_000);

  it('closes a ticket left waiting on a Spanish customer for 48 h with a notice in Spanish, and her reply reopens it', async () => {
    const waiting = await customerWrites(
      'Lucía Pérez <lucia@cliente.example>',
      'No puedo descargar la factura',
      'Hola, el botón de descarga de la factura de noviembre no hace nada. ¿Me pueden ayudar?',
    );
    await aliceAnswers(waiting.notice, '#status waiting\nHola Lucía, ¿nos puede enviar una captura de pantalla?');
    expect((await ticket(waiting.number)).status).toBe('waiting-on-customer');

    await cli('clock', 'advance', '49h');

    const toLucia = await mailTo('lucia@cliente.example');
    const closing = toLucia.at(-1)!;
    expect(closing.subject).toContain(`[Atende #${waiting.number}]`);
    expect(closing.text).toMatch(/cerr/i);
    expect(toLucia.some((mail) => /recordatorio|esperando|pendiente/i.test(`${mail.subject}\n${mail.text}`))).toBe(
      true,
    );
    expect((await ticket(waiting.number)).status).toBe('closed');

    await smtp.sendMail({
      from: 'Lucía Pérez <lucia@cliente.example>',
      to: 'servicedesk@example.com',
      subject: `Re: ${closing.subject}`,
      inReplyTo: closing.messageId,
      text: 'Perdón por la demora, adjunto la captura. Sigue sin funcionar.',
    });
    expect((await ticket(waiting.number)).status).toBe('open');
  }, 120_000);

  it('resolves a ticket from the CLI: the summary carries the survey, and its link records the rating once', async () => {
    const resolved = await customerWrites(
      'Carmen Ruiz <carmen@customer.example>',
      'Password reset mail never arrives',
      'I asked for a password reset three times and no mail arrived.',
    );
    await cli(
      'tickets',
      'resolve',
      String(resolved.number),
      '--note',
      'The reset mails were held by a filter; released.',
    );

    const summary = (await mailTo('carmen@customer.example')).at(-1)!;
    expect(summary.text).toContain('released');
    const links = [...summary.text.matchAll(/http:\/\/127\.0\.0\.1:\d+\/survey\/[A-Za-z0-9_.-]+/g)].map((m) => m[0]);
    expect(links).toHaveLength(2);

    const first = await fetch(links[0]!);
    expect(first.status).toBe(200);
    const again = await fetch(links[1]!);
    expect(again.status).toBe(200);
    const shown = await ticket(resolved.number);
    expect(shown.status).toBe('resolved');
    expect(shown.satisfaction?.rating).toBe('good');
  }, 120_000);

  it('tells the time it runs on: the machine’s plus every advance', async () => {
    const now = JSON.parse(await cli('clock', 'now', '--json')) as { now: string; aheadMs: number };
    // Each advance moves the stack's time by its duration from when it began; the seconds it took are not added.
    expect(now.aheadMs).toBeGreaterThanOrEqual((30 + 72 + 49) * 3_600_000 - 60_000);
    expect((await runCli('clock', 'advance', 'soon')).exitCode).toBe(2);
  });
});
