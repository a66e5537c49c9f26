import { describe, expect, it } from 'vitest';
import { pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';

const throttled = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: {} });

describe('re-planning timers as an owed effect', () => {
  it('stays owed when Scheduler throttles, and the redelivered event schedules the timer, sending no mail twice', async () => {
    const { receive, timers, store, mailer } = pipeline();
    timers.failNext(throttled());

    await expect(
      receive({ subject: 'VPN drops every hour', text: 'The VPN disconnects every hour.' }, { key: 'ses-1' }),
    ).rejects.toThrow('Rate exceeded');
    const receipt = (await store.getReceipt('ses-1'))!;
    expect(receipt.owed.map((effect) => effect.kind)).toEqual(['timers']);
    expect(timers.pending()).toEqual([]);
    const sent = mailer.sent.length;

    const again = await receive(
      { subject: 'VPN drops every hour', text: 'The VPN disconnects every hour.' },
      { key: 'ses-1' },
    );

    expect(again).toMatchObject({ outcome: 'duplicate', sent: [] });
    expect(mailer.sent).toHaveLength(sent);
    expect(timers.pending().map((timer) => [timer.name, timer.firing.kind])).toEqual([
      [`ticket-${ticketNumberOf(again)}-timer-0`, 'warning'],
    ]);
    expect((await store.getReceipt('ses-1'))!.owed).toEqual([]);
  });

  it('is given up, not retried for ever, when Scheduler refuses the request itself', async () => {
    const { receive, timers, store } = pipeline();
    timers.failNext(Object.assign(new Error('Invalid target'), { name: 'ValidationException', $metadata: {} }));

    const result = await receive(
      { subject: 'Printer jams', text: 'The printer jams on every page.' },
      { key: 'ses-2' },
    );

    expect(result).toMatchObject({ outcome: 'created' });
    expect((await store.getReceipt('ses-2'))!.owed).toEqual([]);
  });

  it('asks the scheduler nothing when a change leaves the next timer where it was', async () => {
    const { receive, timers, clock } = pipeline();
    const first = await receive({
      from: 'ana@customer.example',
      subject: 'Export fails',
      text: 'The CSV export fails.',
    });
    const calls = timers.calls.length;

    // The same customer adds a line an hour later (past the follow-up throttle, so nothing is held): the
    // ticket changes, its next timer (the first-response warning) does not.
    clock.advance(60 * 60_000);
    await receive({
      from: 'ana@customer.example',
      subject: `Re: [Atende #${ticketNumberOf(first)}] Export fails`,
      text: 'It also fails for XLSX.',
    });

    expect(timers.calls).toHaveLength(calls);
  });
});
