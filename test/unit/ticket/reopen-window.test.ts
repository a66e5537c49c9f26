import { describe, expect, it } from 'vitest';
import { takesMailAt } from '../../../lib/domain/ticket/ticket-lifecycle.ts';
import { at } from '../../support/policy-fixtures.ts';

const WEEK_MINUTES = 7 * 24 * 60;
const CLOSED_AT = '2026-11-25T15:00:00.000Z';
const closed = { status: 'closed' as const, closedAt: CLOSED_AT, duplicateOf: null };

describe('the reopen window: whether mail to a ticket still belongs to it', () => {
  it('lets a ticket that is not closed take its mail, whenever it comes', () => {
    for (const status of ['new', 'open', 'in-progress', 'waiting-on-customer', 'resolved'] as const)
      expect(takesMailAt({ status, closedAt: null, duplicateOf: null }, at('2027-06-01T00:00:00Z'), WEEK_MINUTES)).toBe(
        true,
      );
  });

  it('lets a closed ticket take mail up to the end of the window, and not a moment after', () => {
    const end = Date.parse(CLOSED_AT) + WEEK_MINUTES * 60_000;

    expect(takesMailAt(closed, Date.parse(CLOSED_AT) + 60_000, WEEK_MINUTES)).toBe(true);
    expect(takesMailAt(closed, end, WEEK_MINUTES)).toBe(true);
    expect(takesMailAt(closed, end + 1, WEEK_MINUTES)).toBe(false);
  });

  it('reads the window from the policy: none at all when it is zero', () => {
    expect(takesMailAt(closed, Date.parse(CLOSED_AT) + 61 * 60_000, 60)).toBe(false);
    expect(takesMailAt(closed, Date.parse(CLOSED_AT) + 59 * 60_000, 60)).toBe(true);
    expect(takesMailAt(closed, Date.parse(CLOSED_AT) + 1, 0)).toBe(false);
  });

  it('never lets a closed duplicate take mail, even the moment it closed', () => {
    expect(takesMailAt({ ...closed, duplicateOf: 1000 }, Date.parse(CLOSED_AT), WEEK_MINUTES)).toBe(false);
  });

  it('refuses mail to a closed ticket with no closing time rather than guess one', () => {
    expect(takesMailAt({ ...closed, closedAt: null }, Date.parse(CLOSED_AT), WEEK_MINUTES)).toBe(false);
  });
});
