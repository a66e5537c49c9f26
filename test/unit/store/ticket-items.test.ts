import { describe, expect, it } from 'vitest';
import { readTicket, ticketItem } from '../../../lib/adapters/dynamodb/ticket-items.ts';
import { aTicket } from '../../support/ticket-fixtures.ts';

describe('ticket items stored before a field existed', () => {
  it('reads a ticket stored before assignment existed as unassigned', () => {
    const { assignee: _absent, ...older } = ticketItem(aTicket(1000, { assignee: 'dario@example.com' }));

    expect(readTicket(older).assignee).toBeNull();
    expect(readTicket(ticketItem(aTicket(1000, { assignee: 'dario@example.com' }))).assignee).toBe('dario@example.com');
  });
});
