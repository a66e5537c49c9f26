import { describe, expect, it } from 'vitest';
import { currentWindow, decideFollowUp, releaseHeldFollowUps } from '../../../lib/domain/ticket/follow-up-window.ts';
import { HELD_FOLLOW_UPS_QUOTED, heldFollowUpQuotes } from '../../../lib/domain/ticket/held-follow-ups.ts';
import { at, shippedPolicy } from '../../support/policy-fixtures.ts';
import { aMessage } from '../../support/ticket-fixtures.ts';

// The default policy throttles follow-ups to one per 40 minutes (as seed 004 does).
const policy = shippedPolicy('default.yaml');
const unthrottled = { ...policy, conduct: { ...policy.conduct, minFollowUpInterval: undefined } };
const MINUTE = 60_000;
const NINE = at('2026-11-23T09:00:00Z');
const iso = (instant: number) => new Date(instant).toISOString();

/** A ticket whose customer last reached the agents at 09:00 (a new ticket: no window of its own yet). */
const opened = { followUpWindow: null, lastCustomerMessageAt: iso(NINE) };

describe('the follow-up throttle’s window', () => {
  it('holds a follow-up within 40 minutes of the message that reached the agents, in a window ending then', () => {
    const decision = decideFollowUp(policy, opened, { now: NINE + 10 * MINUTE, sequence: 3 });

    expect(decision).toEqual({ held: true, window: { until: iso(NINE + 40 * MINUTE), held: [3] } });
  });

  it('does not move the window while it holds follow-ups: the third is held until the same end', () => {
    const first = decideFollowUp(policy, opened, { now: NINE + 10 * MINUTE, sequence: 3 });
    if (!first.held) throw new Error('the first follow-up is held');
    const second = decideFollowUp(
      policy,
      { ...opened, followUpWindow: first.window, lastCustomerMessageAt: iso(NINE + 10 * MINUTE) },
      { now: NINE + 39 * MINUTE, sequence: 4 },
    );

    expect(second).toEqual({ held: true, window: { until: iso(NINE + 40 * MINUTE), held: [3, 4] } });
  });

  it('lets a follow-up at the window’s end reach the agents and open the next window', () => {
    const decision = decideFollowUp(policy, opened, { now: NINE + 40 * MINUTE, sequence: 3 });

    expect(decision).toEqual({ held: false, window: { until: iso(NINE + 80 * MINUTE), held: [] }, released: [] });
  });

  it('counts from the last message that reached the agents, not the last held: writing every 30 minutes is never held for ever', () => {
    // 09:00 reached the agents; 09:30 is held until 09:40, and its mail went then (the window stays, emptied).
    const emptied = {
      followUpWindow: { until: iso(NINE + 40 * MINUTE), held: [] },
      lastCustomerMessageAt: iso(NINE + 30 * MINUTE),
    };

    const tenOClock = decideFollowUp(policy, emptied, { now: NINE + 60 * MINUTE, sequence: 5 });

    expect(tenOClock.held).toBe(false);
  });

  it('sends what an ended window still holds with the next follow-up, and opens a new window', () => {
    const ended = { followUpWindow: { until: iso(NINE + 40 * MINUTE), held: [3, 4] }, lastCustomerMessageAt: null };

    const decision = decideFollowUp(policy, ended, { now: NINE + 45 * MINUTE, sequence: 6 });

    expect(decision).toEqual({ held: false, window: { until: iso(NINE + 85 * MINUTE), held: [] }, released: [3, 4] });
  });

  it('keeps held, in its ended window, a follow-up the caller could not quote, so that its own mail takes it', () => {
    const ended = { followUpWindow: { until: iso(NINE + 40 * MINUTE), held: [3, 4] }, lastCustomerMessageAt: null };

    const decision = decideFollowUp(
      policy,
      ended,
      { now: NINE + 45 * MINUTE, sequence: 6 },
      (sequence) => sequence === 3,
    );

    expect(decision).toEqual({ held: false, window: { until: iso(NINE + 40 * MINUTE), held: [4] }, released: [3] });
  });

  it('holds nothing where the policy sets no interval, and still sends what was held before', () => {
    const holding = { followUpWindow: { until: iso(NINE + 40 * MINUTE), held: [3] }, lastCustomerMessageAt: null };

    expect(decideFollowUp(unthrottled, opened, { now: NINE + MINUTE, sequence: 3 })).toEqual({
      held: false,
      window: null,
      released: [],
    });
    expect(decideFollowUp(unthrottled, holding, { now: NINE + MINUTE, sequence: 4 })).toEqual({
      held: false,
      window: null,
      released: [3],
    });
  });

  it('reads a ticket without a window as one from its last customer message, and none without one', () => {
    expect(currentWindow(policy, opened)).toEqual({ until: iso(NINE + 40 * MINUTE), held: [] });
    expect(currentWindow(policy, { followUpWindow: null, lastCustomerMessageAt: null })).toBeNull();
    expect(currentWindow(unthrottled, opened)).toBeNull();
  });

  it('releases the follow-ups the caller can quote, oldest first, and keeps the rest', () => {
    const window = { until: iso(NINE + 40 * MINUTE), held: [3, 4, 5] };

    expect(releaseHeldFollowUps(window, () => true)).toEqual({ released: [3, 4, 5], window: { ...window, held: [] } });
    expect(releaseHeldFollowUps(window, (sequence) => sequence !== 5)).toEqual({
      released: [3, 4],
      window: { ...window, held: [5] },
    });
  });
});

describe('the quotes of held follow-ups', () => {
  it('quotes them in the order held, with author and time, cutting a long text and saying so', () => {
    const messages = [
      aMessage(1000, 3, { at: '2026-11-23T09:10:00.000Z', text: 'Any news?' }),
      aMessage(1000, 4, {
        at: '2026-11-23T09:20:00.000Z',
        author: 'participant',
        from: 'rui@example.com',
        text: 'x'.repeat(20_001),
      }),
    ];

    const quotes = heldFollowUpQuotes(messages, [3, 4]);

    expect(quotes.notQuoted).toBe(0);
    expect(
      quotes.quoted.map(({ sequence, author, from, at: when, cut }) => [sequence, author, from, when, cut]),
    ).toEqual([
      [3, 'requester', 'ana@example.com', '2026-11-23T09:10:00.000Z', false],
      [4, 'participant', 'rui@example.com', '2026-11-23T09:20:00.000Z', true],
    ]);
    expect(quotes.quoted[1]!.text).toHaveLength(20_000);
  });

  it(`quotes at most ${HELD_FOLLOW_UPS_QUOTED} and counts the rest`, () => {
    const sequences = Array.from({ length: HELD_FOLLOW_UPS_QUOTED + 5 }, (_, index) => index + 2);
    const messages = sequences.map((sequence) => aMessage(1000, sequence, { text: `follow-up ${sequence}` }));

    const quotes = heldFollowUpQuotes(messages, sequences);

    expect(quotes.quoted).toHaveLength(HELD_FOLLOW_UPS_QUOTED);
    expect(quotes.quoted[0]!.text).toBe('follow-up 2');
    expect(quotes.notQuoted).toBe(5);
  });
});
