import { describe, expect, it } from 'vitest';
import { AtendeError } from '../../../lib/domain/atende-error.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';

const rejected = () =>
  new AtendeError('mail.rejected', 'SES refused the mail: MessageRejected: Address blacklisted.', {
    details: { sesError: 'MessageRejected', retryable: false },
  });

describe('mail a change owes is settled, each mail on its own', () => {
  it('records a mail SES refuses for good on the ticket with its reason, and still sends the others', async () => {
    const { receive, mailer, store } = pipeline();
    const send = mailer.send.bind(mailer);
    mailer.send = async (mail) => {
      if (mail.to[0]!.address === 'ana@customer.example') throw rejected();
      return send(mail);
    };

    const result = await receive({}, { key: 'ses-rejected' });

    expect(result).toMatchObject({ outcome: 'created', sent: ['agent-new-ticket'] });
    const messages = await store.listMessages(ticketNumberOf(result));
    expect(messages.find((message) => message.purpose === 'acknowledgement')).toMatchObject({
      direction: 'outbound',
      messageId: null,
      delivery: { status: 'failed', code: 'mail.rejected', reason: expect.stringContaining('blacklisted') },
    });
    expect((await store.getReceipt('ses-rejected'))!).toMatchObject({ owed: [], leaseUntil: null });
  });

  it('does not hold a redelivery hostage to a mail that failed for good: it is done, not in progress', async () => {
    const { receive, mailer } = pipeline();
    mailer.failNext(rejected());
    await receive({}, { key: 'ses-once' });

    expect(await receive({}, { key: 'ses-once' })).toMatchObject({ outcome: 'duplicate', sent: [] });
  });

  it('keeps a mail that failed for a reason that may pass owed, and the next delivery sends only it', async () => {
    const { receive, mailer, clock, store } = pipeline();
    const send = mailer.send.bind(mailer);
    let throttled = true;
    mailer.send = async (mail) => {
      if (throttled && mail.to[0]!.address === 'servicedesk-agents@example.com') {
        throttled = false;
        throw new AtendeError('mail.throttled', 'Maximum sending rate exceeded', { details: { retryable: true } });
      }
      return send(mail);
    };

    await expect(receive({}, { key: 'ses-throttled' })).rejects.toMatchObject({ code: 'mail.throttled' });
    expect(
      (await store.getReceipt('ses-throttled'))!.owed.flatMap((effect) =>
        effect.kind === 'mail' ? [effect.purpose] : [effect.kind],
      ),
    ).toEqual(['agent-new-ticket']);
    // The failed attempt ended its lease: Lambda's first retry, a minute later, need not wait it out.
    clock.advance(60_000);
    expect(await receive({}, { key: 'ses-throttled' })).toMatchObject({
      outcome: 'duplicate',
      sent: ['agent-new-ticket'],
    });
    expect(mailer.sent.map((mail) => mail.to[0]!.address)).toEqual([
      'ana@customer.example',
      'servicedesk-agents@example.com',
    ]);
    expect(await receive({}, { key: 'ses-throttled' })).toMatchObject({ outcome: 'duplicate', sent: [] });
  });

  it('lets only one of two redeliveries that arrive together settle what is owed', async () => {
    const { receive, mailer, clock } = pipeline();
    mailer.failNext(new Error('socket hang up'));
    await expect(receive({}, { key: 'ses-twice' })).rejects.toThrow('socket hang up');
    clock.advance(3 * 60_000);
    const before = mailer.sent.length;
    // A send slow enough that the second redelivery arrives while the first holds the lease.
    const send = mailer.send.bind(mailer);
    mailer.send = async (mail) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return send(mail);
    };

    const outcomes = await Promise.allSettled([receive({}, { key: 'ses-twice' }), receive({}, { key: 'ses-twice' })]);

    expect(mailer.sent.length - before).toBe(1);
    expect(
      outcomes
        .map((outcome) => (outcome.status === 'fulfilled' ? 'done' : (outcome.reason as AtendeError).code))
        .sort(),
    ).toEqual(['done', 'inbound.inProgress']);
  });

  it('records a relay that cannot be sent on the ticket and keeps the ticket answering', async () => {
    const { receive, mailer, store, sentTo } = pipeline();
    const number = ticketNumberOf(await receive({}));
    const notice = sentTo('servicedesk-agents@example.com')[0]!;
    mailer.failNext(rejected());

    const relayed = await receive(
      { from: 'carla@example.com', subject: `Re: ${notice.subject}`, inReplyTo: notice.messageId, text: 'Try again.' },
      { verdicts: AUTHENTICATED },
    );

    expect(relayed).toMatchObject({ outcome: 'relayed', sent: [] });
    expect((await store.listMessages(number)).at(-1)).toMatchObject({
      purpose: 'agent-reply-relay',
      delivery: { status: 'failed', code: 'mail.rejected' },
    });
    expect(await receive({ subject: `Re: [Atende #${number}] Printer offline`, text: 'Still broken.' })).toMatchObject({
      outcome: 'threaded',
      ticketNumber: number,
    });
  });
});

describe('mail that goes no further', () => {
  it('quarantines in one write: the receipt and the record', async () => {
    const { receive, store } = pipeline();

    await receive({}, { key: 'ses-spam', verdicts: { spam: 'FAIL' } });

    expect(await store.getReceipt('ses-spam')).toMatchObject({ outcome: 'quarantined', owed: [] });
    expect(await store.listQuarantine()).toMatchObject([{ key: 'ses-spam', reason: 'inbound.spam' }]);
  });

  it("sends a suspended customer's notice through the receipt like every other mail, once", async () => {
    const policy = shippedPolicy('examples/hosting-es.yaml');
    const { receive, store, mailer } = pipeline('examples/hosting-es.yaml', { policy });
    await store.saveCustomer({
      key: 'ana@customer.example',
      plan: null,
      locale: 'es',
      region: null,
      suspended: true,
      suspendedAt: '2026-11-01T00:00:00.000Z',
      lastAcknowledgedAt: null,
      lastConductNoticeAt: null,
      updatedAt: '2026-11-01T00:00:00.000Z',
    });
    const recipients = [policy.queues[0]!.address];

    const result = await receive({ to: recipients[0] }, { key: 'ses-suspended', recipients });
    const again = await receive({ to: recipients[0] }, { key: 'ses-suspended', recipients });

    expect(result).toMatchObject({ outcome: 'quarantined', reason: 'inbound.suspendedCustomer' });
    expect(again).toMatchObject({ outcome: 'duplicate', sent: [] });
    expect(mailer.sent).toHaveLength(1);
    expect(await store.getReceipt('ses-suspended')).toMatchObject({ owed: [], completedAt: expect.any(String) });
  });
});
