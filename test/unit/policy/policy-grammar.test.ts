import { describe, expect, it } from 'vitest';
import { parseDayHours, parseDuration, parsePercent, parseTarget } from '../../../lib/domain/policy/policy-grammar.ts';

describe('the opening-hours grammar', () => {
  it('reads a closed day, a 24-hour day, a range and several ranges', () => {
    expect(parseDayHours('closed')).toEqual({ ok: true, value: [] });
    expect(parseDayHours('24h')).toEqual({ ok: true, value: [{ start: 0, end: 1440 }] });
    expect(parseDayHours('09:00-18:00')).toEqual({ ok: true, value: [{ start: 540, end: 1080 }] });
    expect(parseDayHours(['13:00-18:00', '08:00-12:00'])).toEqual({
      ok: true,
      value: [
        { start: 480, end: 720 },
        { start: 780, end: 1080 },
      ],
    });
    expect(parseDayHours('18:00-24:00')).toEqual({ ok: true, value: [{ start: 1080, end: 1440 }] });
  });

  it('refuses ranges that end before they start, overlap or name impossible times', () => {
    expect(parseDayHours('18:00-09:00').ok).toBe(false);
    expect(parseDayHours(['08:00-12:00', '11:00-13:00']).ok).toBe(false);
    expect(parseDayHours('25:00-26:00').ok).toBe(false);
    expect(parseDayHours('9 to 5').ok).toBe(false);
  });
});

describe('the target grammar', () => {
  it('reads business-time durations in hours and minutes', () => {
    expect(parseTarget('1h30m')).toEqual({
      ok: true,
      value: { text: '1h30m', parts: [{ kind: 'businessTime', minutes: 90 }] },
    });
    expect(parseTarget('48 hours')).toMatchObject({
      ok: true,
      value: { parts: [{ kind: 'businessTime', minutes: 2880 }] },
    });
  });

  it('reads end of business day and N business days', () => {
    expect(parseTarget('end of business day')).toMatchObject({
      ok: true,
      value: { parts: [{ kind: 'businessDays', days: 0 }] },
    });
    expect(parseTarget('3 business days')).toMatchObject({
      ok: true,
      value: { parts: [{ kind: 'businessDays', days: 3 }] },
    });
    expect(parseTarget('within 1 business day')).toMatchObject({
      ok: true,
      value: { parts: [{ kind: 'businessDays', days: 1 }] },
    });
  });

  it('reads "whichever is sooner" targets joined by or', () => {
    expect(parseTarget('4h or end of business day')).toMatchObject({
      ok: true,
      value: {
        parts: [
          { kind: 'businessTime', minutes: 240 },
          { kind: 'businessDays', days: 0 },
        ],
      },
    });
  });

  it('refuses day units for business time, pointing at business days', () => {
    const result = parseTarget('2d');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('business days');
  });

  it('refuses a zero or unreadable target', () => {
    expect(parseTarget('0m').ok).toBe(false);
    expect(parseTarget('soon').ok).toBe(false);
  });
});

describe('wall-clock durations and percentages', () => {
  it('reads days for waiting and conduct periods', () => {
    expect(parseDuration('2d', { allowDays: true })).toEqual({ ok: true, value: 2880 });
    expect(parseDuration('40 minutes', { allowDays: true })).toEqual({ ok: true, value: 40 });
  });

  it('reads a percentage with or without the sign', () => {
    expect(parsePercent('75%')).toEqual({ ok: true, value: 75 });
    expect(parsePercent(80)).toEqual({ ok: true, value: 80 });
    expect(parsePercent('150%').ok).toBe(false);
  });
});
