import { describe, expect, it } from 'vitest';
import type { SignedStatusLinks } from '../../../lib/application/signed-status-links.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';

const STATUS_LINK = /https:\/\/support\.example\.test\/t\/([0-9]+\.[0-9]+\.[A-Za-z0-9_-]+)/;

/** The token a mail's status link carries, and whether it opens the ticket's page. */
const linkIn = (setup: ReturnType<typeof pipeline>, text: string) => {
  const token = STATUS_LINK.exec(text)?.[1];
  if (token === undefined) throw new Error(`no status link in:\n${text}`);
  const links = setup.deps.statusLinks as SignedStatusLinks;
  const claim = links.claim(token);
  return { token, claim };
};

describe("the status link in the customer's mail", () => {
  it('is in the acknowledgement, text and HTML, and opens the page of the ticket it acknowledges', async () => {
    const setup = pipeline();
    const number = ticketNumberOf(await setup.receive({ subject: 'Invoice', text: 'Where is my invoice for March?' }));

    const ack = setup.sentTo('ana@customer.example')[0]!;
    const { claim } = linkIn(setup, ack.text);
    const ticket = (await setup.store.getTicket(number))!;

    expect(ack.html).toMatch(STATUS_LINK);
    expect(claim?.ticketNumber).toBe(number);
    expect((setup.deps.statusLinks as SignedStatusLinks).check(claim!, ticket)).toBe('valid');
  });

  it('is in a Portuguese acknowledgement, in Portuguese', async () => {
    const setup = pipeline();
    await setup.receive({
      subject: 'Fatura em atraso',
      text: 'Olá, não recebi a fatura deste mês e preciso dela para o pagamento. Obrigado.',
    });

    const ack = setup.sentTo('ana@customer.example')[0]!;

    expect(ack.text).toContain('Acompanhe seu ticket on-line');
    expect(ack.text).toMatch(STATUS_LINK);
  });

  it("is in an agent's reply as the customer receives it", async () => {
    const setup = pipeline();
    await setup.receive({ subject: 'Dashboard down', text: 'Our dashboard is down and nobody can log in.' });
    const notice = setup.sentTo('servicedesk-agents@example.com')[0]!;

    await setup.receive(
      {
        from: 'Carla Agent <carla@example.com>',
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        text: 'We restarted the service; please try again.',
      },
      { verdicts: AUTHENTICATED },
    );

    const relay = setup.sentTo('ana@customer.example').at(-1)!;
    expect(relay.text).toContain('We restarted the service');
    expect(relay.text).toMatch(STATUS_LINK);
    expect(relay.html).toMatch(STATUS_LINK);
  });

  it("is left out of an agent's reply that the requester's Cc'd colleagues receive too: the page acts as the requester", async () => {
    const setup = pipeline();
    await setup.receive({
      subject: 'Dashboard down',
      text: 'Our dashboard is down and nobody can log in.',
      cc: 'rui@customer.example',
    });
    const notice = setup.sentTo('servicedesk-agents@example.com')[0]!;

    await setup.receive(
      {
        from: 'Carla Agent <carla@example.com>',
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        text: 'We restarted the service; please try again.',
      },
      { verdicts: AUTHENTICATED },
    );

    const relay = setup.sentTo('rui@customer.example').at(-1)!;
    expect(relay.text).toContain('We restarted the service');
    expect(`${relay.text}\n${relay.html}`).not.toMatch(STATUS_LINK);
  });

  it("is never in the agents' notification: the link is the requester's", async () => {
    const setup = pipeline();
    await setup.receive({ subject: 'Dashboard down', text: 'Our dashboard is down and nobody can log in.' });

    const notice = setup.sentTo('servicedesk-agents@example.com')[0]!;

    expect(`${notice.text}\n${notice.html}`).not.toMatch(STATUS_LINK);
  });
});
