import { describe, expect, it } from 'vitest';
import { messageItem, readMessage, readTicket, ticketItem } from '../../../lib/adapters/dynamodb/ticket-items.ts';
import { aMessage, aTicket } from '../../support/ticket-fixtures.ts';

describe('ticket items stored before a field existed', () => {
  it('reads a ticket stored before assignment existed as unassigned', () => {
    const { assignee: _absent, ...older } = ticketItem(aTicket(1000, { assignee: 'dario@example.com' }));

    expect(readTicket(older).assignee).toBeNull();
    expect(readTicket(ticketItem(aTicket(1000, { assignee: 'dario@example.com' }))).assignee).toBe('dario@example.com');
  });
});

describe('items stored before the follow-up throttle held follow-ups', () => {
  it('read as a ticket whose window holds nothing', () => {
    const { followUpWindow: _absent, ...before } = ticketItem(aTicket(1000));

    expect(readTicket(before).followUpWindow).toBeNull();
  });

  it('read as a message that was not held', () => {
    const { heldUntil: _absent, ...before } = messageItem(aMessage(1000, 2));

    expect(readMessage(before).heldUntil).toBeNull();
  });

  it('read back a window and a held message as written', () => {
    const window = { until: '2025-03-03T12:40:00.000Z', held: [4, 5] };
    const held = aMessage(1000, 4, { heldUntil: window.until });

    expect(readTicket(ticketItem(aTicket(1000, { followUpWindow: window }))).followUpWindow).toEqual(window);
    expect(readMessage(messageItem(held))).toEqual(held);
  });
});
