import { describe, expect, it } from 'vitest';
import type { OutgoingMail } from '../../../lib/application/ports/mailer.ts';
import { renderTicket } from '../../../lib/cli/commands/local-stack-commands.ts';
import type { Policy } from '../../../lib/domain/policy/policy-schema.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { at, HOUR, shippedPolicy } from '../../support/policy-fixtures.ts';

const AGENTS = 'servicedesk-agents@example.com';
const MONDAY_10AM = at('2026-11-23T10:00:00-05:00');

/** Ana's ticket, and a way to answer its agents' notification as Carla (or another agent). */
async function notifiedTicket(policy?: Policy) {
  const setup = pipeline('default.yaml', policy ? { policy } : {});
  const number = ticketNumberOf(await setup.receive({ subject: 'Reports show no data', text: 'Empty.' }));
  const notice = setup.sentTo(AGENTS)[0]!;
  setup.mailer.sent.length = 0;
  const answer = (text: string, from = 'Carla Agent <carla@example.com>') =>
    setup.receive(
      { from, subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text },
      { verdicts: AUTHENTICATED },
    );
  const customerWrites = (text: string) =>
    setup.receive({ from: 'ana@customer.example', subject: `Re: [Atende #${number}] Reports show no data`, text });
  return { ...setup, number, answer, customerWrites };
}

const recipientsOf = (mail: OutgoingMail): string[] => [...mail.to, ...(mail.cc ?? [])].map((to) => to.address);
const assigneeOnly: Policy = { ...shippedPolicy('default.yaml'), assignment: { notify: 'assignee-only' } };

describe('an assigned ticket', () => {
  it('is assigned with #assign, kept in the store and shown by tickets show', async () => {
    const { answer, store, number } = await notifiedTicket();

    await answer('#asignar dario@example.com');

    const ticket = (await store.getTicket(number))!;
    expect(ticket.assignee).toBe('dario@example.com');
    expect(renderTicket(ticket, await store.listMessages(number))).toContain('  assigned to dario@example.com');
  });

  it("sends the customer's replies to the assignee as well as the agents' address", async () => {
    const { answer, customerWrites, mailer, clock } = await notifiedTicket();
    await answer('#take');
    mailer.sent.length = 0;
    clock.advance(HOUR);

    await customerWrites('Still empty this morning.');

    const notice = mailer.sent.find(
      (mail) => mail.subject.includes('Reports show no data') && recipientsOf(mail).includes(AGENTS),
    );
    expect(recipientsOf(notice!)).toEqual([AGENTS, 'carla@example.com']);
  });

  it('sends them to the assignee alone under assignment.notify: assignee-only, and to the agents while unassigned', async () => {
    const { answer, customerWrites, mailer, clock } = await notifiedTicket(assigneeOnly);
    clock.advance(HOUR);
    await customerWrites('Anyone?');
    expect(mailer.sent.some((mail) => recipientsOf(mail).includes(AGENTS))).toBe(true);

    await answer('#assign dario@example.com');
    mailer.sent.length = 0;
    clock.advance(HOUR);
    await customerWrites('Still empty this morning.');

    const toStaff = mailer.sent.filter((mail) => !recipientsOf(mail).includes('ana@customer.example'));
    expect(toStaff.map(recipientsOf)).toEqual([['dario@example.com']]);
  });

  it('sends SLA warnings to the assignee too, and names the assignee in escalations', async () => {
    const { answer, runTimersUntil, sentTo } = await notifiedTicket();
    await answer('#assign dario@example.com');

    await runTimersUntil(MONDAY_10AM + 5 * HOUR);

    expect(sentTo('dario@example.com').some((mail) => mail.text.includes('Target:'))).toBe(true);
    const escalation = sentTo('service-manager@example.com')[0]!;
    expect(escalation.text).toContain('Assigned to: dario@example.com');
    expect(recipientsOf(escalation)).toEqual(['service-manager@example.com']);
  });
});

describe('the relay to the customer', () => {
  it('comes from the queue’s address under the agent’s name, via the brand', async () => {
    const { answer, sentTo } = await notifiedTicket();

    await answer('We are rerunning the report job.');

    expect(sentTo('ana@customer.example').at(-1)!.from).toEqual({
      address: 'servicedesk@example.com',
      name: 'Carla Agent via Atende Support',
    });
  });

  it('comes under the brand alone when the agent’s mail gives no name', async () => {
    const { answer, sentTo } = await notifiedTicket();

    await answer('We are rerunning the report job.', 'carla@example.com');

    expect(sentTo('ana@customer.example').at(-1)!.from).toEqual({
      address: 'servicedesk@example.com',
      name: 'Atende Support',
    });
  });

  it('leaves out the agent’s signature, from the first separator line down', async () => {
    const { answer, sentTo, store, number } = await notifiedTicket();

    await answer('We are rerunning the report job.\n\n-- \nCarla Agent\nTier 1 | +1 555 0100\n--\nmore');

    const relay = sentTo('ana@customer.example').at(-1)!;
    expect(relay.text).toContain('We are rerunning the report job.');
    expect(relay.text).not.toContain('+1 555 0100');
    expect(relay.text).not.toContain('more');
    expect((await store.listMessages(number)).find((message) => message.purpose === 'agent-reply')!.text).toBe(
      'We are rerunning the report job.',
    );
  });
});
