import { describe, expect, it } from 'vitest';
import { AUTHENTICATED, pipeline } from '../../support/ingest-pipeline.ts';

/**
 * No step of ingest is worse than linear in the message's size: each of these is processed, or
 * refused by a named limit, within the issue's budget, and a short mail arriving meanwhile is not
 * held up by more than that. (A generous budget for work that takes well under a second here.)
 */
const BUDGET_MS = 2_000;

const head = (type = 'text/plain', extra = '') =>
  `From: Ana <ana@customer.example>\r\nTo: servicedesk@example.com\r\nSubject: A large mail\r\nMessage-ID: <large-${Math.random()}@customer.example>\r\nContent-Type: ${type}; charset=utf-8\r\n${extra}\r\n`;

const body = (text: string) => Buffer.from(`${head()}${text}\r\n`);

const HOSTILE: [string, () => Buffer, string][] = [
  ['a 200 KB body that is a single token', () => Buffer.from(`${head()}${'a'.repeat(200_000)}\r\n`), 'created'],
  ['a 200 KB token of addresses', () => Buffer.from(`${head()}${'a@b'.repeat(70_000)}\r\n`), 'created'],
  ['a 10 MB body on a single line', () => Buffer.from(`${head()}${'word '.repeat(2_000_000)}\r\n`), 'created'],
  [
    '100,000 header fields',
    () =>
      Buffer.from(
        `${head('text/plain', `${Array.from({ length: 100_000 }, (_, i) => `X-F${i}: v`).join('\r\n')}\r\n`)}hi\r\n`,
      ),
    'quarantined',
  ],
  ['5 MB of dense HTML', () => Buffer.from(`${head('text/html')}<ul>${'<li>a'.repeat(1_000_000)}</ul>\r\n`), 'created'],
  [
    '5 MB of HTML that reads as one token',
    () => Buffer.from(`${head('text/html')}${'<b>x</b>'.repeat(600_000)}\r\n`),
    'created',
  ],
  ['a 130 KB subject', () => Buffer.from(head().replace('A large mail', 'x'.repeat(130_000))), 'created'],
  // Each of these took seconds to minutes in one stage (named) before it was made linear.
  ['a key label then 200 KB of spaces (secret masking)', () => body(`api_key${' '.repeat(200_000)}x`), 'created'],
  ['a 200 KB token of JWT starts (secret masking)', () => body('eyJ-'.repeat(50_000)), 'created'],
  ['a 200 KB token of addresses in angle brackets (secret masking)', () => body(`<${'a@'.repeat(100_000)}`), 'created'],
  ['200 KB of short labelled passwords (secret masking)', () => body('pw:1 '.repeat(40_000)), 'created'],
  ['"From" then 200 KB of spaces (quoted history)', () => body(`From${' '.repeat(200_000)}x`), 'created'],
  [
    'a 200 KB Sender field (mail classification)',
    () => Buffer.from(head('text/plain', `Sender: ${'a-'.repeat(100_000)}\r\n`)),
    'created',
  ],
  ['a URL parameter of 200 KB of dots (secret masking)', () => body(`?token=a${'.'.repeat(200_000)}b`), 'created'],
  // The quarantine record quotes the evidence; a record is at most 400 KB (this used to throw store.itemTooLarge).
  [
    'a mail without From whose List-Id is 900 KB (quarantine record)',
    () =>
      Buffer.from(
        `${head('text/plain', `List-Id: ${'x'.repeat(900_000)}\r\n`).replace('From: Ana <ana@customer.example>\r\n', '')}hi\r\n`,
      ),
    'quarantined',
  ],
  [
    'an automatic reply whose Auto-Submitted field is 900 KB (quarantine record)',
    () => Buffer.from(`${head('text/plain', `Auto-Submitted: auto-replied ${'x'.repeat(900_000)}\r\n`)}hi\r\n`),
    'quarantined',
  ],
  [
    'a bounce of 200 KB of blank lines (bounce reading)',
    () =>
      Buffer.from(`${head().replace('Ana <ana@', 'Mail Delivery System <MAILER-DAEMON@')}${'\r\n'.repeat(100_000)}`),
    'quarantined',
  ],
];

describe('hostile sizes through ingest', () => {
  it.each(HOSTILE)('processes %s within the budget', async (_, raw, outcome) => {
    const { receive } = pipeline();
    const mail = raw();

    const started = performance.now();
    const result = await receive(mail);

    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
    expect(result.outcome).toBe(outcome);
  });

  it("relays an agent's reply whose command line is 150 KB of spaces within the budget (agent commands)", async () => {
    const { receive, sentTo } = pipeline();
    await receive({ subject: 'Dashboard down', text: 'Our dashboard is down.' });
    const notice = sentTo('servicedesk-agents@example.com')[0]!;

    const started = performance.now();
    const result = await receive(
      {
        from: 'Carla Agent <carla@example.com>',
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        text: `#status${' '.repeat(150_000)}waiting\nWe restarted it.`,
      },
      { verdicts: AUTHENTICATED },
    );

    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
    expect(result.outcome).toBe('relayed');
  });

  it('does not hold up a short mail that arrives while a large one is being read', async () => {
    const { receive } = pipeline();
    const large = Buffer.from(`${head()}${'a'.repeat(200_000)}\r\n`);

    const started = performance.now();
    const [, short] = await Promise.all([
      receive(large),
      receive({ from: 'bob@customer.example', subject: 'Quick question' }).then(() => performance.now()),
    ]);

    expect(short - started).toBeLessThan(BUDGET_MS);
  });
});
