import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../../lib/application/ports/mailer.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';

/**
 * What a hostile tester tried against agents working by mail, each kept as a specification
 * of what used to break: internal words reaching a customer, commands taken from mail that
 * is not an authenticated agent's.
 */

const CUSTOMERS = ['ana@customer.example', 'bob@customer.example'];
const AGENTS = 'servicedesk-agents@example.com';
const recipientsOf = (mail: OutgoingMail): string[] => [...mail.to, ...(mail.cc ?? [])].map((to) => to.address);

/** Ana's ticket with Bob on Cc, and a way to answer its agents' notification as Carla. */
async function notifiedTicket() {
  const setup = pipeline('default.yaml');
  const number = ticketNumberOf(
    await setup.receive({ cc: 'bob@customer.example', subject: 'Printer offline', text: 'It prints nothing.' }),
  );
  const notice = setup.sentTo(AGENTS)[0]!;
  setup.mailer.sent.length = 0;
  const answer = (text: string, from = 'Carla Agent <carla@example.com>') =>
    setup.receive(
      { from, subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text },
      { verdicts: AUTHENTICATED },
    );
  const toCustomers = () => setup.mailer.sent.filter((mail) => recipientsOf(mail).some((to) => CUSTOMERS.includes(to)));
  return { ...setup, number, notice, answer, toCustomers };
}

describe('a note hidden from the command reader by invisible characters', () => {
  it.each([
    ['a zero-width space before #note', '\u200b#note\nThe technician is off: no callback.'],
    ['a zero-width space inside #note', '#\u200bnote\nThe technician is off: no callback.'],
    ['a left-to-right mark before #note', '\u200e#note\nThe technician is off: no callback.'],
    ['a bidi embedding before #note', '\u202a#note\nThe technician is off: no callback.'],
    ['a word joiner inside the name', '#no\u2060te\nThe technician is off: no callback.'],
  ])('is still a note with %s: the customer gets nothing', async (_, text) => {
    const { answer, toCustomers } = await notifiedTicket();

    expect(await answer(text)).toMatchObject({ kind: 'internal-note' });
    expect(toCustomers()).toEqual([]);
  });

  it.each([
    ['a no-break space', 'Hi Ana, we are on it.\n\u00a0#note she was rude on the phone'],
    ['a zero-width space', 'Hi Ana, we are on it.\n\u200b#note she was rude on the phone'],
    ['an ideographic space', 'Hi Ana, we are on it.\n\u3000#note she was rude on the phone'],
  ])('refuses a #note below the text indented with %s', async (_, text) => {
    const { answer, toCustomers } = await notifiedTicket();

    expect(await answer(text)).toMatchObject({ reason: 'commands-not-understood' });
    expect(toCustomers()).toEqual([]);
  });
});

describe('an internal note written the way mail clients and people write it', () => {
  it.each([
    ['in bold as Gmail writes its text part', '*Internal:* the technician is off, no callback.'],
    ['in double asterisks', '**Internal:** the technician is off, no callback.'],
    ['with the emphasis inside the colon', '*Internal*: the technician is off, no callback.'],
    ['with a full-width colon', 'Internal： the technician is off, no callback.'],
    ['in brackets', '[Internal] the technician is off, no callback.'],
  ])('is kept for the agents %s, never relayed', async (_, text) => {
    const { answer, toCustomers, mailer } = await notifiedTicket();

    expect(await answer(text)).toMatchObject({ kind: 'internal-note' });
    expect(toCustomers()).toEqual([]);
    expect(mailer.sent[0]!.text).toContain('the technician is off');
    expect(mailer.sent[0]!.text).not.toContain('*Internal');
  });

  it('refuses a bold "Internal:" below the text', async () => {
    const { answer, toCustomers } = await notifiedTicket();

    expect(await answer('Hi Ana, we are on it.\n\n*Internal:* she was rude.')).toMatchObject({
      reason: 'commands-not-understood',
    });
    expect(toCustomers()).toEqual([]);
  });
});

describe('a command with a space after its #', () => {
  it('is still the command: "# note" is kept for the agents, never relayed', async () => {
    const { answer, toCustomers } = await notifiedTicket();

    expect(await answer('# note\nThe technician is off, no callback.')).toMatchObject({ kind: 'internal-note' });
    expect(toCustomers()).toEqual([]);
  });

  it('refuses "# note" below the text', async () => {
    const { answer, toCustomers } = await notifiedTicket();

    expect(await answer('Hi Ana, we are on it.\n# note she was rude.')).toMatchObject({
      reason: 'commands-not-understood',
    });
    expect(toCustomers()).toEqual([]);
  });

  it('leaves a "# Heading" that names no command as text', async () => {
    const { answer, toCustomers } = await notifiedTicket();

    expect(await answer('# Steps\nRestart the printer.')).toMatchObject({ outcome: 'relayed' });
    expect(toCustomers()[0]!.text).toContain('# Steps');
  });
});

describe('a staff From among several authors', () => {
  it.each([
    ['first', 'Carla <carla@example.com>, Mallory <mallory@evil.example>'],
    ['second', 'Mallory <mallory@evil.example>, Carla <carla@example.com>'],
  ])('is not an agent when named %s, though DMARC passed (for the other domain)', async (_, from) => {
    const { answer, store, number, toCustomers } = await notifiedTicket();

    await answer('#resolve\nAll done, closing this.', from);

    expect((await store.getTicket(number))!.status).toBe('new');
    expect(toCustomers()).toEqual([]);
  });

  it('is not an agent with a second From field either', async () => {
    const { receive, notice, store, number, toCustomers } = await notifiedTicket();

    await receive(
      {
        from: 'Carla <carla@example.com>',
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        text: '#resolve\nAll done.',
        headers: { 'X-Placeholder': 'x\r\nFrom: Mallory <mallory@evil.example>' },
      },
      { verdicts: AUTHENTICATED },
    );

    expect((await store.getTicket(number))!.status).toBe('new');
    expect(toCustomers()).toEqual([]);
  });
});

describe("an agent's answer to an internal note's mail", () => {
  it('is a note for the agents too, never relayed to the customer, though it reached the support address', async () => {
    const { answer, receive, mailer, toCustomers, store, number } = await notifiedTicket();
    await answer('#note\nDo not promise a callback: the technician is off.');
    const noteMail = mailer.sent.at(-1)!;
    mailer.sent.length = 0;

    const result = await receive(
      {
        from: 'Dario <dario@example.com>',
        subject: `Re: ${noteMail.subject}`,
        inReplyTo: noteMail.messageId,
        text: 'Agreed, and he was rude to me too.',
      },
      { verdicts: AUTHENTICATED },
    );

    expect(result).toMatchObject({ kind: 'internal-note', sent: ['agent-internal-note'] });
    expect(toCustomers()).toEqual([]);
    expect(mailer.sent.map(recipientsOf)).toEqual([[AGENTS]]);
    expect((await store.listMessages(number)).at(-2)!.purpose).toBe('internal-note');
  });

  it('still applies commands alone, and confirms them to the agent', async () => {
    const { answer, receive, mailer, toCustomers, store, number } = await notifiedTicket();
    await answer('#note\nDo not promise a callback.');
    const noteMail = mailer.sent.at(-1)!;
    mailer.sent.length = 0;

    await receive(
      {
        from: 'Dario <dario@example.com>',
        subject: `Re: ${noteMail.subject}`,
        inReplyTo: noteMail.messageId,
        text: '#take',
      },
      { verdicts: AUTHENTICATED },
    );

    expect((await store.getTicket(number))!.assignee).toBe('dario@example.com');
    expect(toCustomers()).toEqual([]);
  });
});
