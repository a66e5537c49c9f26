import { describe, expect, it } from 'vitest';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { at } from '../../support/policy-fixtures.ts';

const HOUR = 3_600_000;
const MONDAY_10AM = at('2026-11-23T10:00:00-05:00');

/** An unanswered ticket taken past its first level of escalation, and a way to answer a mail atende sent staff. */
async function escalatedTicket() {
  const setup = pipeline();
  ticketNumberOf(await setup.receive({ from: 'ana@cliente.example', subject: 'Reports show no data', text: 'Empty.' }));
  await setup.runTimersUntil(MONDAY_10AM + 5 * HOUR);
  const relayedToAna = () => setup.sentTo('ana@cliente.example').filter((mail) => mail.autoSubmitted === undefined);
  const answer = (from: string, notice: { subject: string; messageId: string }, text: string) =>
    setup.receive(
      { from, subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text },
      { verdicts: AUTHENTICATED },
    );
  return { ...setup, relayedToAna, answer };
}

/** Lines of a notice from the one starting with `first`, as someone would paste them, marker and banner left behind. */
const pastedFrom = (text: string, first: string, count: number): string => {
  const lines = text.split('\n');
  return lines
    .slice(lines.findIndex((line) => line.startsWith(first)))
    .slice(0, count)
    .join('\n');
};

describe('an answer to an escalation or an SLA alert', () => {
  it('is not relayed to the customer when it still carries the contacts the level went to', async () => {
    const { sentTo, answer, relayedToAna } = await escalatedTicket();
    const escalation = sentTo('service-manager@example.com')[0]!;

    await answer(
      'Service Manager <service-manager@example.com>',
      { subject: escalation.subject, messageId: escalation.messageId! },
      `We are on it.\n\n${pastedFrom(escalation.text, 'This level is escalated to:', 2)}`,
    );

    expect(relayedToAna()).toEqual([]);
  });

  it('is not relayed to the customer when it still carries the SLA clock’s target and due time', async () => {
    const { sentTo, answer, relayedToAna } = await escalatedTicket();
    const alert = sentTo('servicedesk-agents@example.com').find((mail) => mail.text.includes('Target:'))!;

    await answer(
      'Carla Agent <carla@example.com>',
      { subject: alert.subject, messageId: alert.messageId! },
      `Looking now.\n\n${pastedFrom(alert.text, 'Target:', 2)}`,
    );

    expect(relayedToAna()).toEqual([]);
  });

  it('is relayed when it is the answer alone', async () => {
    const { sentTo, answer, relayedToAna } = await escalatedTicket();
    const escalation = sentTo('service-manager@example.com')[0]!;

    await answer(
      'Service Manager <service-manager@example.com>',
      { subject: escalation.subject, messageId: escalation.messageId! },
      'We are on it: the report job is being rerun.',
    );

    expect(relayedToAna().map((mail) => mail.text.split('\n')[0])).toEqual([
      'We are on it: the report job is being rerun.',
    ]);
  });
});
