import { describe, expect, it } from 'vitest';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { at, calendarOf, HOUR, iso, MINUTE, weekdays } from '../../support/policy-fixtures.ts';

const officeHours = calendarOf({
  timeZone: 'America/Toronto',
  week: weekdays('09:00-18:00'),
  holidays: [
    { date: '2026-12-25', name: 'Christmas Day' },
    { date: '2026-12-24', name: 'Christmas Eve', hours: '09:00-13:00' },
  ],
});
const aroundTheClock = calendarOf({ timeZone: 'America/Toronto', week: '24/7' });

describe('a business calendar', () => {
  it('starts the clock at the next opening when a ticket arrives after hours', () => {
    // Friday 19:00 in Toronto: closed until Monday 09:00.
    expect(iso(officeHours.nextOpening(at('2026-11-20T19:00:00-05:00')))).toBe('2026-11-23T14:00:00.000Z');
  });

  it('starts the clock at once when a ticket arrives during opening hours', () => {
    expect(iso(officeHours.nextOpening(at('2026-11-23T10:15:00-05:00')))).toBe('2026-11-23T15:15:00.000Z');
  });

  it('counts only opening hours as business time', () => {
    // Friday 17:00 + 3 business hours = 1 h on Friday, 2 h on Monday.
    expect(iso(officeHours.addBusinessTime(at('2026-11-20T17:00:00-05:00'), 3 * HOUR))).toBe(
      '2026-11-23T16:00:00.000Z',
    );
  });

  it('skips a holiday and honours reduced hours on the eve', () => {
    // Thursday 24 Dec opens 09:00-13:00, Friday 25 Dec is closed: 12:00 + 2 h ends Monday 28 Dec 10:00.
    expect(iso(officeHours.addBusinessTime(at('2026-12-24T12:00:00-05:00'), 2 * HOUR))).toBe(
      '2026-12-28T15:00:00.000Z',
    );
    expect(officeHours.holidayAt(at('2026-12-25T12:00:00-05:00'))).toBe('Christmas Day');
  });

  it('follows several ranges on one day, skipping the lunch break', () => {
    const split = calendarOf({ timeZone: 'America/Sao_Paulo', week: weekdays(['08:00-12:00', '13:00-18:00']) });
    expect(iso(split.addBusinessTime(at('2026-11-23T11:00:00-03:00'), 3 * HOUR))).toBe('2026-11-23T18:00:00.000Z');
  });

  it('treats consecutive 24-hour days as one unbroken stretch', () => {
    expect(iso(aroundTheClock.addBusinessTime(at('2026-11-20T22:00:00-05:00'), 30 * HOUR))).toBe(
      '2026-11-22T09:00:00.000Z',
    );
  });

  describe('across daylight-saving changes (America/Toronto)', () => {
    it('gives the spring-forward day 23 real hours of a 24-hour day', () => {
      expect(aroundTheClock.businessTimeBetween(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(
        23 * HOUR,
      );
    });

    it('gives the autumn fall-back day 25 real hours of a 24-hour day', () => {
      expect(aroundTheClock.businessTimeBetween(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(
        25 * HOUR,
      );
    });

    it('opens at 09:00 wall-clock time on both sides of the spring change', () => {
      const weekend = calendarOf({ timeZone: 'America/Toronto', week: weekdays('closed', '09:00-18:00') });
      // Saturday 7 March opens 09:00 EST (14:00Z); Sunday 8 March opens 09:00 EDT (13:00Z).
      expect(iso(weekend.nextOpening(at('2026-03-07T00:00:00-05:00')))).toBe('2026-03-07T14:00:00.000Z');
      expect(iso(weekend.nextOpening(at('2026-03-07T18:00:00-05:00')))).toBe('2026-03-08T13:00:00.000Z');
    });

    it('counts a range spanning the skipped hour as the real time it lasts', () => {
      const night = calendarOf({
        timeZone: 'America/Toronto',
        week: { ...weekdays('closed', 'closed'), sun: '01:00-04:00' },
      });
      expect(night.businessTimeBetween(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(
        2 * HOUR,
      );
      expect(night.businessTimeBetween(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(
        4 * HOUR,
      );
    });

    it('keeps 8 business hours of office time 8 real hours across the autumn change', () => {
      // Friday 30 Oct 14:00 EDT + 8 h: 4 h Friday, 4 h Monday 2 Nov (now EST) → 13:00 EST.
      expect(iso(officeHours.addBusinessTime(at('2026-10-30T14:00:00-04:00'), 8 * HOUR))).toBe(
        '2026-11-02T18:00:00.000Z',
      );
    });
  });

  describe('end of business day', () => {
    it('is the last closing time of the day the clock starts', () => {
      const split = calendarOf({ timeZone: 'America/Toronto', week: weekdays(['08:00-12:00', '13:00-18:00']) });
      expect(iso(split.endOfBusinessDay(at('2026-11-23T09:00:00-05:00'), 0))).toBe('2026-11-23T23:00:00.000Z');
    });

    it('is the following midnight on a 24-hour day', () => {
      expect(iso(aroundTheClock.endOfBusinessDay(at('2026-11-23T23:00:00-05:00'), 0))).toBe('2026-11-24T05:00:00.000Z');
    });

    it('counts N business days past weekends and holidays', () => {
      // Wednesday 23 Dec + 2 business days: Thursday 24 (closes 13:00), Friday 25 is a holiday, Monday 28 closes 18:00.
      expect(iso(officeHours.endOfBusinessDay(at('2026-12-23T10:00:00-05:00'), 2))).toBe('2026-12-28T23:00:00.000Z');
    });
  });

  describe('pauses while the ticket waits on the customer', () => {
    it('moves the due time by the business time the pause covered', () => {
      const start = at('2026-11-23T09:00:00-05:00');
      const pause = { start: at('2026-11-23T10:00:00-05:00'), end: at('2026-11-23T11:30:00-05:00') };
      expect(iso(officeHours.addBusinessTime(start, 4 * HOUR, [pause]))).toBe('2026-11-23T19:30:00.000Z');
    });

    it('moves nothing when the pause falls outside opening hours', () => {
      const start = at('2026-11-23T09:00:00-05:00');
      const pause = { start: at('2026-11-23T19:00:00-05:00'), end: at('2026-11-24T08:00:00-05:00') };
      expect(officeHours.addBusinessTime(start, 10 * HOUR, [pause])).toBe(
        officeHours.addBusinessTime(start, 10 * HOUR),
      );
    });

    it('has no due time while a pause has not ended', () => {
      const start = at('2026-11-23T09:00:00-05:00');
      expect(
        officeHours.addBusinessTime(start, 4 * HOUR, [{ start: at('2026-11-23T10:00:00-05:00'), end: null }]),
      ).toBeNull();
      // …unless the target is reached before the pause begins.
      expect(
        iso(officeHours.addBusinessTime(start, 30 * MINUTE, [{ start: at('2026-11-23T10:00:00-05:00'), end: null }])),
      ).toBe('2026-11-23T14:30:00.000Z');
    });
  });

  it('refuses a calendar that is never open', () => {
    const holidays = Array.from({ length: 3700 }, (_, day) => ({
      date: new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10),
      name: 'closed',
    }));
    const closed = calendarOf({ timeZone: 'UTC', week: weekdays('09:00-17:00', '09:00-17:00'), holidays });
    try {
      closed.nextOpening(at('2026-01-01T00:00:00Z'));
      expect.unreachable('a calendar with no opening must fail');
    } catch (error) {
      expect(isAtendeError(error, 'calendar.neverOpen')).toBe(true);
    }
  });
});
