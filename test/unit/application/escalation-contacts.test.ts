import { describe, expect, it } from 'vitest';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { at, withFirstEscalationContacts } from '../../support/policy-fixtures.ts';

const HOUR = 3_600_000;
const MONDAY_10AM = at('2026-11-23T10:00:00-05:00');

/** The default policy with its first level's manager at a domain that is not staff (a partner's, say). */
const outsideManagerPolicy = () =>
  withFirstEscalationContacts((shipped) => [
    ...shipped,
    { name: 'Partner Lead', role: 'Partner lead', address: 'lead@partner.example' },
  ]);

const escalationsTo = (sent: readonly { purpose: string; to: readonly string[] }[], address: string) =>
  sent.filter((message) => message.purpose === 'escalation' && message.to.includes(address)).length;

describe('an escalation contact who is a customer of the ticket', () => {
  it.each([
    ['Cc’d by the requester', { cc: 'lead@partner.example' }],
    ['writing as the requester', { from: 'Lea Partner <lead@partner.example>' }],
  ])('gets no escalation, %s, and the level still acts for the other contacts and the next one', async (_, mail) => {
    const { receive, runTimersUntil, store } = pipeline('default.yaml', { policy: outsideManagerPolicy() });
    const number = ticketNumberOf(
      await receive(
        { subject: 'Reports show no data', text: 'The weekly report is empty.', ...mail },
        { verdicts: AUTHENTICATED },
      ),
    );

    const outcomes = await runTimersUntil(MONDAY_10AM + 30 * HOUR);

    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['acted', 'acted', 'acted', 'acted']);
    const ticket = (await store.getTicket(number))!;
    expect(ticket.escalationLevel).toBe(3);
    const sent = (await store.listMessages(number)).filter((message) => message.direction === 'outbound');
    expect(escalationsTo(sent, 'lead@partner.example')).toBe(0);
    expect(escalationsTo(sent, 'service-manager@example.com')).toBe(1);
    expect(escalationsTo(sent, 'owner@example.com')).toBe(1);
  });
});
