import { describe, expect, it } from 'vitest';
import type { Policy } from '../../../lib/domain/policy/policy-schema.ts';
import { pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';

const withDuplicates = (duplicates: Policy['conduct']['duplicates']): Policy => {
  const policy = shippedPolicy('default.yaml');
  // No throttle: these specs are about subjects, not about how often a customer writes.
  return { ...policy, conduct: { ...policy.conduct, duplicates, minFollowUpInterval: undefined } };
};

describe('conduct.duplicates: a second message on the subject of an open ticket', () => {
  it('merge: joins the open ticket', async () => {
    const { receive } = pipeline('default.yaml', { policy: withDuplicates('merge') });
    await receive({ subject: 'Printer offline' });

    expect(await receive({ subject: 'Printer offline' })).toMatchObject({
      outcome: 'threaded',
      ticketNumber: 1000,
      via: 'subject',
    });
  });

  it('close (seed 003): opens a second ticket closed as a duplicate and tells the customer which one to follow', async () => {
    const { receive, store, sentTo, clock } = pipeline('default.yaml', { policy: withDuplicates('close') });
    await receive({ subject: 'Printer offline' });
    // Past the acknowledgement rate limit (one per sender per 10 minutes), which also holds for this notice.
    clock.advance(11 * 60_000);

    const result = await receive({ subject: 'Re: printer offline', text: 'Again: the printer is offline.' });

    expect(result).toMatchObject({
      outcome: 'created',
      ticketNumber: 1001,
      duplicateOf: 1000,
      sent: ['acknowledgement'],
    });
    expect(await store.getTicket(1001)).toMatchObject({ status: 'closed', duplicateOf: 1000 });
    expect((await store.getTicket(1001))!.flags).toContain('duplicate');
    const answer = sentTo('ana@customer.example').at(-1)!;
    expect(answer.subject).toContain('#1001');
    expect(answer.text).toContain('1000');
    expect(sentTo('servicedesk-agents@example.com')).toHaveLength(1);
  });

  it('allow: opens a new ticket as for any other subject', async () => {
    const { receive } = pipeline('default.yaml', { policy: withDuplicates('allow') });
    await receive({ subject: 'Printer offline' });

    expect(await receive({ subject: 'Printer offline' })).toMatchObject({ outcome: 'created', ticketNumber: 1001 });
  });

  it('applies to the same requester only: a colleague on the same subject gets a ticket of their own', async () => {
    const { receive } = pipeline('default.yaml', { policy: withDuplicates('close') });
    await receive({ subject: 'Printer offline' });

    const colleague = await receive({ from: 'bob@customer.example', subject: 'Printer offline' });

    expect(colleague).toMatchObject({ outcome: 'created', ticketNumber: 1001 });
    expect(colleague).not.toHaveProperty('duplicateOf');
  });

  it('applies to open tickets only: the same subject after the first is closed is a new matter', async () => {
    const { receive, store } = pipeline('default.yaml', { policy: withDuplicates('close') });
    const first = ticketNumberOf(await receive({ subject: 'Printer offline' }));
    const ticket = (await store.getTicket(first))!;
    await store.saveTicket({ ...ticket, status: 'closed', closedAt: ticket.createdAt }, ticket.version);

    const again = await receive({ subject: 'Printer offline' });

    expect(again).toMatchObject({ outcome: 'created' });
    expect((await store.getTicket(ticketNumberOf(again)))!.status).toBe('new');
  });
});
