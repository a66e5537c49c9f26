import { afterAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../../../lib/application/fire-timer.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { testTicketTables } from '../../support/dynamodb-test-table.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';

const tables = testTicketTables();
afterAll(() => tables.dropAll());

/** An unanswered servicedesk ticket on DynamoDB Local, with its first timer (the warning) due. */
async function dueWarning() {
  const table = await tables.create();
  const setup = pipeline('default.yaml', { store: table.store });
  const number = ticketNumberOf(await setup.receive({ subject: 'Reports show no data', text: 'The report is empty.' }));
  const warning = setup.timers.pending()[0]!;
  setup.clock.set(warning.at);
  setup.timers.fired(warning.name);
  const alerts = () => setup.sentTo('servicedesk-agents@example.com').filter((mail) => mail.subject.includes('#1000'));
  return { ...setup, number, warning, alerts };
}

describe('timer firings at the same time as other changes, on DynamoDB Local', () => {
  it('sends one SLA alert when the same firing is delivered twice at once, and plans the next timer', async () => {
    const { deps, warning, store, number, mailer, timers } = await dueWarning();
    const before = mailer.sent.length;

    // The second delivery either finds the first done (duplicate) or still settling: then it is told to
    // come back (inbound.inProgress, so Scheduler retries it), and the retry is a duplicate.
    const deliver = () =>
      fireTimer(deps, warning.firing).catch((error: unknown) => {
        if (!isAtendeError(error, 'inbound.inProgress')) throw error;
        return { outcome: 'retried' as const };
      });
    const outcomes = (await Promise.all([deliver(), deliver()])).map((outcome) => outcome.outcome);
    expect(outcomes).toContain('acted');
    expect(outcomes.filter((outcome) => outcome !== 'acted')).toHaveLength(1);
    expect(['duplicate', 'retried']).toContain(outcomes.find((outcome) => outcome !== 'acted'));
    expect(await fireTimer(deps, warning.firing)).toMatchObject({ outcome: 'duplicate' });
    expect(mailer.sent.slice(before).map((mail) => mail.to[0]!.address)).toEqual(['servicedesk-agents@example.com']);
    expect((await store.getTicket(number))!.timerLog.map((acted) => acted.key)).toEqual(['firstResponse.warning']);
    expect(timers.pending().map((timer) => [timer.firing.kind, timer.firing.target])).toEqual([
      ['breach', 'firstResponse'],
    ]);
  });

  it('keeps both an agent’s answer and a firing that meet at the same version', async () => {
    const { deps, warning, store, number, receive, sentTo } = await dueWarning();
    const notice = sentTo('servicedesk-agents@example.com')[0]!;

    await Promise.all([
      fireTimer(deps, warning.firing),
      receive(
        {
          from: 'Carla Agent <carla@example.com>',
          subject: `Re: ${notice.subject}`,
          inReplyTo: notice.messageId,
          text: 'We are rerunning the report now.',
        },
        { verdicts: AUTHENTICATED },
      ),
    ]);

    const ticket = (await store.getTicket(number))!;
    expect(ticket.firstRespondedAt).not.toBeNull();
    const relayed = sentTo('ana@customer.example').filter((mail) => mail.text.startsWith('We are rerunning'));
    expect(relayed).toHaveLength(1);
    // The warning either acted before the answer or found the target met: once at most, and nothing left due.
    expect(ticket.timerLog.filter((acted) => acted.key === 'firstResponse.warning').length).toBeLessThanOrEqual(1);
    expect(ticket.timerLog.some((acted) => acted.target === 'firstResponse' && acted.kind !== 'warning')).toBe(false);
  });
});
