import { describe, expect, it } from 'vitest';
import { SlaClock } from '../../../lib/domain/sla/sla-schedule.ts';
import { mayAddToTicket, openTicketWithSubject } from '../../../lib/domain/ticket/threading.ts';
import {
  changeStatus,
  newTicket,
  recordAgentReply,
  recordCustomerMessage,
} from '../../../lib/domain/ticket/ticket-lifecycle.ts';
import { at, shippedPolicy } from '../../support/policy-fixtures.ts';

const sla = new SlaClock(shippedPolicy('default.yaml'));
const received = at('2026-11-23T10:00:00-05:00');
const aNewTicket = () =>
  newTicket(
    {
      number: 1000,
      queue: 'servicedesk',
      requester: 'Ana@Customer.example',
      requesterName: 'Ana',
      participants: ['Bob@Customer.example'],
      subject: 'Printer offline',
      normalizedSubject: 'printer offline',
      priority: 'critical',
      plan: 'basic',
      region: null,
      channel: 'email',
      locale: 'es',
      flags: [],
      receivedAt: received,
      firstRespondedAt: null,
    },
    sla,
  );

describe('a ticket over its life', () => {
  it('opens as new with its SLA due times', () => {
    const ticket = aNewTicket();
    expect(ticket).toMatchObject({
      status: 'new',
      requester: 'ana@customer.example',
      participants: ['bob@customer.example'],
      messageCount: 1,
    });
    expect(ticket.firstResponseDue).toBe('2026-11-23T16:00:00.000Z');
    expect(ticket.resolutionDue).toBe('2026-11-23T23:00:00.000Z');
  });

  it('pauses the SLA clock while waiting on the customer and resumes when they answer', () => {
    const waiting = changeStatus(aNewTicket(), 'waiting-on-customer', at('2026-11-23T10:30:00-05:00'), sla);
    expect(waiting.pauses).toEqual([{ start: '2026-11-23T15:30:00.000Z', end: null }]);
    expect(waiting.firstResponseDue).toBeNull();

    const answered = recordCustomerMessage(
      waiting,
      { at: at('2026-11-23T12:30:00-05:00'), participants: [], flags: [] },
      sla,
    );
    expect(answered.status).toBe('open');
    expect(answered.pauses).toEqual([{ start: '2026-11-23T15:30:00.000Z', end: '2026-11-23T17:30:00.000Z' }]);
    expect(answered.firstResponseDue).toBe('2026-11-23T18:00:00.000Z'); // two hours later than before
    expect(answered.messageCount).toBe(2);
  });

  it('reopens a resolved ticket when the requester writes again', () => {
    const resolved = changeStatus(aNewTicket(), 'resolved', at('2026-11-23T11:00:00-05:00'), sla);
    expect(resolved.resolvedAt).not.toBeNull();
    const reopened = recordCustomerMessage(
      resolved,
      { at: at('2026-11-24T09:00:00-05:00'), participants: ['carla@customer.example'], flags: ['shouting'] },
      sla,
    );
    expect(reopened).toMatchObject({ status: 'open', resolvedAt: null, flags: ['shouting'] });
    expect(reopened.participants).toEqual(['bob@customer.example', 'carla@customer.example']);
  });

  it("counts an agent's first reply as the first response where the policy says so", () => {
    const replied = recordAgentReply(
      aNewTicket(),
      { at: at('2026-11-23T10:20:00-05:00'), status: null, countsAsFirstResponse: true },
      sla,
    );
    expect(replied).toMatchObject({ status: 'in-progress', firstRespondedAt: '2026-11-23T15:20:00.000Z' });
    const again = recordAgentReply(
      replied,
      { at: at('2026-11-23T11:00:00-05:00'), status: 'waiting-on-customer', countsAsFirstResponse: true },
      sla,
    );
    expect(again.firstRespondedAt).toBe('2026-11-23T15:20:00.000Z');
    expect(again.status).toBe('waiting-on-customer');
  });
});

describe('who may add to a ticket', () => {
  it('lets the requester, a participant and staff add, and nobody else', () => {
    const ticket = aNewTicket();
    expect(mayAddToTicket(ticket, 'ANA@customer.example', false)).toBe(true);
    expect(mayAddToTicket(ticket, 'bob@customer.example', false)).toBe(true);
    expect(mayAddToTicket(ticket, 'agent@example.com', true)).toBe(true);
    expect(mayAddToTicket(ticket, 'mallory@elsewhere.example', false)).toBe(false);
  });

  it("finds the requester's open ticket with the same subject, never a closed one", () => {
    const open = aNewTicket();
    const closed = { ...aNewTicket(), number: 999, status: 'closed' as const };
    expect(openTicketWithSubject([closed, open], 'printer offline')?.number).toBe(1000);
    expect(openTicketWithSubject([closed], 'printer offline')).toBeNull();
    expect(openTicketWithSubject([open], '')).toBeNull();
  });
});
