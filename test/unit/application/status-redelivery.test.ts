import { describe, expect, it } from 'vitest';
import { setTicketStatus } from '../../../lib/application/set-ticket-status.ts';
import { AtendeError } from '../../../lib/domain/atende-error.ts';
import { pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';

describe('a status change delivered again after its first delivery failed to settle', () => {
  it('sends the resolution summary the first delivery owed, though the ticket is already resolved', async () => {
    const { deps, receive, mailer, clock, store } = pipeline();
    const ticketNumber = ticketNumberOf(await receive({ subject: 'Reports show no data' }));
    const event = { key: 'cli-resolve-1', now: clock.now(), rawKey: null };
    mailer.failNext(
      new AtendeError('mail.throttled', 'SES refused the mail: Throttling', { details: { retryable: true } }),
    );

    await expect(setTicketStatus(deps, event, { ticketNumber, status: 'resolved' })).rejects.toThrow('Throttling');
    await setTicketStatus(deps, event, { ticketNumber, status: 'resolved' });

    expect((await store.getReceipt(event.key))?.owed).toEqual([]);
    const summaries = (await store.listMessages(ticketNumber)).filter((m) => m.purpose === 'resolution-summary');
    expect(summaries.map((m) => m.delivery?.status ?? 'sent')).toEqual(['sent']);
  });
});
