import { describe, expect, it } from 'vitest';
import { setTicketStatus } from '../../../lib/application/set-ticket-status.ts';
import type { Policy } from '../../../lib/domain/policy/policy-schema.ts';
import { pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Ana's ticket, acknowledged, put to wait on her (the default policy closes it 48 h later, reopens within 7 days). */
async function waitingTicket(policy?: Policy) {
  const setup = pipeline('default.yaml', policy ? { policy } : {});
  const number = ticketNumberOf(
    await setup.receive({ subject: 'Printer offline', text: 'The office printer has been offline since yesterday.' }),
  );
  const acknowledgement = setup.sentTo('ana@customer.example')[0]!;
  setup.clock.advance(HOUR);
  await setTicketStatus(
    setup.deps,
    { key: 'cli-waiting', now: setup.clock.now(), rawKey: null },
    { ticketNumber: number, status: 'waiting-on-customer' },
  );
  /** Ana answers our acknowledgement (In-Reply-To it). */
  const reply = (text = 'The printer is still offline, I checked this morning.') =>
    setup.receive({
      subject: `Re: ${acknowledgement.subject}`,
      inReplyTo: acknowledgement.messageId,
      text,
    });
  const agentsNotices = () =>
    setup.store
      .listMessages(number)
      .then((messages) =>
        messages
          .filter(
            (message) => message.direction === 'outbound' && message.to.includes('servicedesk-agents@example.com'),
          )
          .map((message) => message.purpose),
      );
  return { ...setup, number, acknowledgement, reply, agentsNotices };
}

/** Lets the waiting ticket run to its auto-close. */
async function autoClosed(policy?: Policy) {
  const setup = await waitingTicket(policy);
  await setup.runTimersUntil(setup.clock.now() + 49 * HOUR);
  const closed = (await setup.store.getTicket(setup.number))!;
  expect(closed).toMatchObject({ status: 'closed' });
  return { ...setup, closedAt: Date.parse(closed.closedAt!) };
}

describe("a customer's reply to a closed ticket", () => {
  it('reopens an auto-closed ticket within the window: the same ticket, open, its clock running, the agents told', async () => {
    const { reply, clock, closedAt, store, number, agentsNotices, timers } = await autoClosed();
    clock.set(closedAt + 6 * DAY);

    const result = await reply();

    expect(result).toMatchObject({ outcome: 'threaded', ticketNumber: number, via: 'message-id' });
    const reopened = (await store.getTicket(number))!;
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, resolvedAt: null });
    expect(reopened.pauses.at(-1)!.end).not.toBeNull();
    expect(reopened.resolutionDue).not.toBeNull();
    expect(await agentsNotices()).toEqual(['agent-new-ticket', 'agent-customer-reply']);
    expect(timers.pending().map((timer) => timer.firing.ticketNumber)).toEqual([number]);
    expect(await store.getTicket(number + 1)).toBeNull();
  });

  it('reopens a ticket an agent closed, within the window', async () => {
    const { reply, clock, store, number, deps } = await waitingTicket();
    clock.advance(HOUR);
    await setTicketStatus(
      deps,
      { key: 'cli-close', now: clock.now(), rawKey: null },
      { ticketNumber: number, status: 'closed' },
    );
    clock.advance(3 * DAY);

    expect(await reply()).toMatchObject({ outcome: 'threaded', ticketNumber: number });
    expect(await store.getTicket(number)).toMatchObject({ status: 'open', closedAt: null });
  });

  it('opens a new ticket after the window, and leaves the closed one closed', async () => {
    const { reply, clock, closedAt, store, number } = await autoClosed();
    const closed = await store.getTicket(number);
    clock.set(closedAt + 7 * DAY + HOUR);

    const result = await reply();

    expect(result).toMatchObject({ outcome: 'created', ticketNumber: number + 1 });
    expect(await store.getTicket(number)).toEqual(closed);
    expect(await store.getTicket(number + 1)).toMatchObject({ status: 'new', requester: 'ana@customer.example' });
  });

  it("reads the window from the policy's reopen.within", async () => {
    const policy = shippedPolicy('default.yaml');
    const { reply, clock, closedAt, number } = await autoClosed({ ...policy, reopen: { within: 24 * 60 } });
    clock.set(closedAt + 2 * DAY);

    expect(await reply()).toMatchObject({ outcome: 'created', ticketNumber: number + 1 });
  });

  it('never reopens a ticket closed as a duplicate', async () => {
    const policy = shippedPolicy('default.yaml');
    const { receive, sentTo, store, clock } = pipeline('default.yaml', {
      policy: { ...policy, conduct: { ...policy.conduct, duplicates: 'close', minFollowUpInterval: undefined } },
    });
    await receive({ subject: 'Printer offline' });
    clock.advance(11 * 60_000);
    const duplicate = ticketNumberOf(await receive({ subject: 'Re: printer offline', text: 'Again: offline.' }));
    expect(await store.getTicket(duplicate)).toMatchObject({ status: 'closed', duplicateOf: 1000 });
    const notice = sentTo('ana@customer.example').at(-1)!;
    clock.advance(HOUR);

    const result = await receive({ subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text: 'Any news?' });

    expect(result).not.toMatchObject({ ticketNumber: duplicate });
    expect(await store.getTicket(duplicate)).toMatchObject({ status: 'closed', duplicateOf: 1000, messageCount: 2 });
  });
});
