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
    /** Seed 000's partner desk: Monday to Friday, 24 hours a day. */
    const weekdaysAllDay = calendarOf({ timeZone: 'America/Toronto', week: weekdays('24h') });
    /** Seed 000's service desk: Monday to Friday 24 hours, weekends 09:00-18:00, Christmas reduced to 09:00-18:00. */
    const extended = calendarOf({
      timeZone: 'America/Toronto',
      week: weekdays('24h', '09:00-18:00'),
      holidays: [{ date: '2026-12-25', name: 'Christmas Day', hours: '09:00-18:00' }],
    });

    describe('on a calendar that closes every evening', () => {
      it('is the last closing time of the day the clock starts', () => {
        const split = calendarOf({ timeZone: 'America/Toronto', week: weekdays(['08:00-12:00', '13:00-18:00']) });
        expect(iso(split.endOfBusinessDay(at('2026-11-23T09:00:00-05:00'), 0))).toBe('2026-11-23T23:00:00.000Z');
      });

      it("is the next business day's close for a ticket that arrives after hours", () => {
        // Friday 19:00: closed until Monday 09:00, which closes at 18:00.
        expect(iso(officeHours.closeOfBusinessDay(at('2026-11-20T19:00:00-05:00')))).toBe('2026-11-23T23:00:00.000Z');
      });

      it('is the close of the reduced hours on the eve of a holiday', () => {
        expect(iso(officeHours.closeOfBusinessDay(at('2026-12-24T10:00:00-05:00')))).toBe('2026-12-24T18:00:00.000Z');
      });

      it('is 18:00 on the wall clock on the day the clocks change', () => {
        const everyDay = calendarOf({ timeZone: 'America/Toronto', week: weekdays('09:00-18:00', '09:00-18:00') });
        // Sunday 8 March 2026 (spring forward): 18:00 EDT. Sunday 1 November (fall back): 18:00 EST.
        expect(iso(everyDay.closeOfBusinessDay(at('2026-03-08T10:00:00-04:00')))).toBe('2026-03-08T22:00:00.000Z');
        expect(iso(everyDay.closeOfBusinessDay(at('2026-11-01T10:00:00-05:00')))).toBe('2026-11-01T23:00:00.000Z');
      });
    });

    describe('on 24-hour days that run into each other', () => {
      it('does not close at midnight but when the calendar first closes: Friday at midnight', () => {
        // Monday 10:00 and Wednesday 03:00 are in the same business day, which ends Saturday 00:00 EST.
        expect(iso(weekdaysAllDay.closeOfBusinessDay(at('2026-11-23T10:00:00-05:00')))).toBe(
          '2026-11-28T05:00:00.000Z',
        );
        expect(iso(weekdaysAllDay.closeOfBusinessDay(at('2026-11-25T03:00:00-05:00')))).toBe(
          '2026-11-28T05:00:00.000Z',
        );
      });

      it('closes a 24-hour Friday at midnight when Saturday opens only at 09:00', () => {
        expect(iso(extended.closeOfBusinessDay(at('2026-11-19T10:00:00-05:00')))).toBe('2026-11-21T05:00:00.000Z');
        // Saturday is a business day of its own: 09:00-18:00.
        expect(iso(extended.closeOfBusinessDay(at('2026-11-21T10:00:00-05:00')))).toBe('2026-11-21T23:00:00.000Z');
        // Sunday closes at 18:00 although Monday opens at midnight.
        expect(iso(extended.closeOfBusinessDay(at('2026-11-22T17:00:00-05:00')))).toBe('2026-11-22T23:00:00.000Z');
      });

      it('starts the business day of a weekend ticket at Monday midnight and ends it on Friday', () => {
        // Saturday noon on the partner desk: the clock starts Monday 00:00.
        expect(iso(weekdaysAllDay.closeOfBusinessDay(at('2026-11-21T12:00:00-05:00')))).toBe(
          '2026-11-28T05:00:00.000Z',
        );
      });

      it('ends a run of 24-hour days at a holiday with reduced hours, which is a business day of its own', () => {
        // Christmas (Friday 25 Dec 2026) opens 09:00-18:00: the run from Monday closes at its midnight.
        expect(iso(extended.closeOfBusinessDay(at('2026-12-21T10:00:00-05:00')))).toBe('2026-12-25T05:00:00.000Z');
        expect(iso(extended.closeOfBusinessDay(at('2026-12-25T10:00:00-05:00')))).toBe('2026-12-25T23:00:00.000Z');
      });

      it('runs on into the next day from a holiday whose reduced hours end at midnight', () => {
        const lateOpening = calendarOf({
          timeZone: 'America/Toronto',
          week: weekdays('24h'),
          holidays: [{ date: '2026-11-26', name: 'Late opening', hours: '12:00-24:00' }],
        });
        // Wednesday's run closes at Thursday 00:00; Thursday from 12:00 runs into Friday, closing Saturday 00:00.
        expect(iso(lateOpening.closeOfBusinessDay(at('2026-11-25T10:00:00-05:00')))).toBe('2026-11-26T05:00:00.000Z');
        expect(iso(lateOpening.closeOfBusinessDay(at('2026-11-26T13:00:00-05:00')))).toBe('2026-11-28T05:00:00.000Z');
      });

      it('ends a night shift written over two days when the shift ends, not at midnight', () => {
        const nights = calendarOf({
          timeZone: 'America/Toronto',
          week: { ...weekdays('closed'), mon: '22:00-24:00', tue: '00:00-06:00' },
        });
        expect(iso(nights.closeOfBusinessDay(at('2026-11-23T23:00:00-05:00')))).toBe('2026-11-24T11:00:00.000Z');
        // 01:00 on Tuesday is still Monday night's business day.
        expect(iso(nights.closeOfBusinessDay(at('2026-11-24T01:00:00-05:00')))).toBe('2026-11-24T11:00:00.000Z');
      });

      it('runs across the days the clocks change, in real time', () => {
        // Sunday to Friday 24 hours. Spring: the 23-hour Sunday 8 March runs on to Saturday 14 March 00:00 EDT.
        const sixDays = calendarOf({ timeZone: 'America/Toronto', week: { ...weekdays('24h'), sun: '24h' } });
        expect(iso(sixDays.closeOfBusinessDay(at('2026-03-08T01:00:00-05:00')))).toBe('2026-03-14T04:00:00.000Z');
        // Autumn: the 25-hour Sunday 1 November runs on to Saturday 7 November 00:00 EST.
        expect(iso(sixDays.closeOfBusinessDay(at('2026-11-01T01:30:00-04:00')))).toBe('2026-11-07T05:00:00.000Z');
      });

      it('does not close at a midnight the clock change skips (Santiago springs forward at 00:00)', () => {
        const weekend = calendarOf({ timeZone: 'America/Santiago', week: weekdays('closed', '24h') });
        // Saturday 5 Sept 2026 runs into Sunday 6 Sept, which begins at 01:00; the weekend closes Monday 00:00 (-03).
        expect(iso(weekend.closeOfBusinessDay(at('2026-09-05T10:00:00-04:00')))).toBe('2026-09-07T03:00:00.000Z');
      });
    });

    describe('on a calendar open around the clock', () => {
      it('never comes', () => {
        // Changed with the end-of-business-day rule: this used to expect the following midnight
        // (2026-11-24T05:00Z). A 24/7 calendar never closes, so its business day never ends.
        expect(aroundTheClock.endOfBusinessDay(at('2026-11-23T23:00:00-05:00'), 0)).toBeNull();
      });

      it('comes when a holiday closes the calendar, and never after the last holiday', () => {
        const closedOnChristmas = calendarOf({
          timeZone: 'America/Toronto',
          week: '24/7',
          holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
        });
        expect(iso(closedOnChristmas.closeOfBusinessDay(at('2026-12-20T10:00:00-05:00')))).toBe(
          '2026-12-25T05:00:00.000Z',
        );
        expect(closedOnChristmas.closeOfBusinessDay(at('2026-12-26T10:00:00-05:00'))).toBeNull();
      });

      it('comes at the close of reduced holiday hours', () => {
        const shortEve = calendarOf({
          timeZone: 'America/Toronto',
          week: '24/7',
          holidays: [{ date: '2026-12-24', name: 'Christmas Eve', hours: '00:00-13:00' }],
        });
        expect(iso(shortEve.closeOfBusinessDay(at('2026-12-22T10:00:00-05:00')))).toBe('2026-12-24T18:00:00.000Z');
      });
    });

    describe('N business days', () => {
      it('counts N business days past weekends and holidays', () => {
        // Wednesday 23 Dec + 2 business days: Thursday 24 (closes 13:00), Friday 25 is a holiday, Monday 28 closes 18:00.
        expect(iso(officeHours.endOfBusinessDay(at('2026-12-23T10:00:00-05:00'), 2))).toBe('2026-12-28T23:00:00.000Z');
      });

      it('keeps counting days, each to its midnight, where days are open 24 hours', () => {
        // A count of days is not a promise to answer before closing time: Monday + 1 business day is Tuesday's end.
        expect(iso(weekdaysAllDay.endOfBusinessDay(at('2026-11-23T10:00:00-05:00'), 1))).toBe(
          '2026-11-25T05:00:00.000Z',
        );
        expect(iso(aroundTheClock.endOfBusinessDay(at('2026-11-23T10:00:00-05:00'), 3))).toBe(
          '2026-11-27T05:00:00.000Z',
        );
      });
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
