import { describe, expect, it } from 'vitest';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';

/** A ticket, the agents' notification for it as atende rendered it, and a way to answer it as Carla. */
async function notifiedTicket() {
  const setup = pipeline();
  const number = ticketNumberOf(
    await setup.receive({ subject: 'Dashboard down', text: 'Our dashboard is down and nobody can log in. Urgent.' }),
  );
  const notice = setup.sentTo('servicedesk-agents@example.com')[0]!;
  setup.mailer.sent.length = 0;
  const answer = (body: { text?: string; html?: string }) =>
    setup.receive(
      {
        from: 'Carla Agent <carla@example.com>',
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        ...(body.html === undefined
          ? { text: body.text }
          : { text: body.html, headers: { 'Content-Type': 'text/html; charset=utf-8' } }),
      },
      { verdicts: AUTHENTICATED },
    );
  return { ...setup, number, notice, answer };
}

/** Lines only an agents' notification has: none may reach a customer. */
const INTERNAL = ['Call the customer at once', 'Response strategy', 'reply above this line'];

describe("only the agent's new words reach the customer", () => {
  it('relays an HTML-only reply whose quoted part is the notification as a whole <html> document, without it', async () => {
    const { answer, mailer, notice } = await notifiedTicket();

    const result = await answer({
      html: `<html><body><div>Hi, we restarted the dashboard service: please try again.</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> Atende Support<br><b>Sent:</b> Monday<br><b>Subject:</b> ${notice.subject}</div>${notice.html}</body></html>`,
    });

    expect(result).toMatchObject({ outcome: 'relayed', sent: ['agent-reply-relay'] });
    const relay = mailer.sent.at(-1)!;
    expect(relay.to.map((to) => to.address)).toEqual(['ana@customer.example']);
    expect(relay.text).toContain('we restarted the dashboard service');
    for (const line of INTERNAL) expect(`${relay.text}\n${relay.html}`).not.toContain(line);
  });

  it('relays a plain top-posted reply without the notification quoted below it', async () => {
    const { answer, mailer, notice } = await notifiedTicket();
    await answer({
      text: `We are on it, back in ten minutes.\n\nOn Mon, 23 Nov 2026, Atende Support wrote:\n${quotedLines(notice.text)}`,
    });

    const relay = mailer.sent.at(-1)!;
    expect(relay.text).toContain('We are on it, back in ten minutes.');
    for (const line of INTERNAL) expect(relay.text).not.toContain(line);
  });

  it('does not relay a forwarded notification, tells the agent why, and changes nothing', async () => {
    const { answer, mailer, store, number, notice } = await notifiedTicket();
    const before = (await store.getTicket(number))!;

    const result = await answer({
      text: `FYI\n\n---------- Forwarded message ---------\nFrom: Atende Support <servicedesk@example.com>\nSubject: ${notice.subject}\n\n${notice.text}`,
    });

    expect(result).toMatchObject({ outcome: 'recorded', kind: 'agent-reply-refused', reason: 'internal-notice' });
    expect(mailer.sent.map((mail) => mail.to.map((to) => to.address))).toEqual([['carla@example.com']]);
    expect(mailer.sent[0]!.text).not.toContain('Our dashboard is down');
    const after = (await store.getTicket(number))!;
    expect(after).toMatchObject({ status: before.status, firstRespondedAt: before.firstRespondedAt });
    expect((await store.listMessages(number)).map((message) => message.purpose).slice(-2)).toEqual([
      'agent-reply-refused',
      'agent-relay-refused',
    ]);
  });

  it('does not relay a reply written below the notification it quotes', async () => {
    const { answer, mailer, notice } = await notifiedTicket();

    const result = await answer({ text: `${quotedLines(notice.text)}\n\nAnswer written at the bottom.` });

    expect(result).toMatchObject({ outcome: 'recorded', kind: 'agent-reply-refused' });
    expect(mailer.sent.every((mail) => mail.to.every((to) => to.address === 'carla@example.com'))).toBe(true);
  });
});

/** A text as a mail client quotes it. */
const quotedLines = (text: string): string =>
  text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
