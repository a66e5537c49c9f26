import { DateTime } from 'luxon';
import { AtendeError } from '../atende-error.ts';
import type { MinuteRange } from '../policy/policy-grammar.ts';
import { type BusinessCalendarSpec, WEEKDAYS } from '../policy/policy-schema.ts';

/** A half-open span of time [start, end) in epoch milliseconds. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** A span during which the SLA clock is stopped; `end: null` means it has not ended yet. */
export interface Pause {
  readonly start: number;
  readonly end: number | null;
}

/** One local calendar day: [start, end) runs from its midnight to the next (23 to 25 hours long). */
interface CalendarDay {
  readonly date: string;
  readonly start: number;
  readonly end: number;
  readonly intervals: readonly Interval[];
}

/** How far ahead a calendar may be searched for an opening (ten years covers any sane holiday list). */
const SEARCH_LIMIT_DAYS = 3660;
const DAY_CACHE_LIMIT = 4096;

/**
 * Business time on one calendar: weekly opening hours in an IANA time zone, with dated holidays.
 *
 * Opening hours are wall-clock times, so on a DST change day "09:00-18:00" is 8 or 10 real hours
 * and a 24-hour day is 23 or 25. Business time is always real elapsed time inside opening hours.
 * All instants are epoch milliseconds; the calendar never reads the clock.
 */
export class BusinessCalendar {
  readonly name: string;
  readonly timeZone: string;
  private readonly week: Record<string, readonly MinuteRange[]>;
  private readonly holidays: ReadonlyMap<string, { name: string; ranges: readonly MinuteRange[] }>;
  /** Every weekday open all 24 hours: only holidays can close the calendar. */
  private readonly openAllWeek: boolean;
  /** The latest holiday's date (YYYY-MM-DD sorts as a string); after it the week alone rules. */
  private readonly lastHoliday: string | undefined;
  /** Local days already worked out, sorted by start. */
  private readonly days: CalendarDay[] = [];

  constructor(name: string, spec: BusinessCalendarSpec) {
    this.name = name;
    this.timeZone = spec.timeZone;
    this.week = spec.week;
    this.holidays = new Map(
      spec.holidays.map((holiday) => [holiday.date, { name: holiday.name, ranges: holiday.hours ?? [] }]),
    );
    this.openAllWeek = WEEKDAYS.every((weekday) => {
      const ranges = spec.week[weekday];
      return ranges.length === 1 && ranges[0]!.start === 0 && ranges[0]!.end === 24 * 60;
    });
    this.lastHoliday = spec.holidays
      .map((holiday) => holiday.date)
      .sort()
      .at(-1);
  }

  /** The holiday on the local date of `instant`, if any. */
  holidayAt(instant: number): string | undefined {
    return this.holidays.get(this.dayContaining(instant).date)?.name;
  }

  /** Opening intervals of the local calendar day containing `instant`, in order. */
  openIntervalsOnDayOf(instant: number): readonly Interval[] {
    return this.dayContaining(instant).intervals;
  }

  /** Opening intervals from `from` onwards (the first one clipped to start at `from`), across days. */
  *openIntervalsFrom(from: number): Generator<Interval> {
    let day = this.dayContaining(from);
    for (let searched = 0; searched < SEARCH_LIMIT_DAYS; searched++, day = this.dayContaining(day.end)) {
      for (const interval of day.intervals) {
        if (interval.end <= from) continue;
        yield { start: Math.max(interval.start, from), end: interval.end };
        searched = 0;
      }
    }
    throw new AtendeError(
      'calendar.neverOpen',
      `calendar "${this.name}" has no opening hours in the ${SEARCH_LIMIT_DAYS} days after ${new Date(from).toISOString()}`,
    );
  }

  /** The first instant at or after `instant` when the calendar is open (and no pause is running). */
  nextOpening(instant: number, pauses: readonly Pause[] = []): number | null {
    for (const interval of this.workingIntervalsFrom(instant, pauses)) return interval.start;
    return null;
  }

  /**
   * The earliest instant by which `duration` ms of business time have elapsed since `start`,
   * not counting pauses; `null` when a pause that has not ended stops the clock first.
   * A zero duration gives `start` itself.
   */
  addBusinessTime(start: number, duration: number, pauses: readonly Pause[] = []): number | null {
    if (duration <= 0) return start;
    let remaining = duration;
    for (const interval of this.workingIntervalsFrom(start, pauses)) {
      const length = interval.end - interval.start;
      if (remaining <= length) return interval.start + remaining;
      remaining -= length;
    }
    return null;
  }

  /** Business time in ms between two instants, not counting pauses. */
  businessTimeBetween(from: number, to: number, pauses: readonly Pause[] = []): number {
    let total = 0;
    if (to <= from) return 0;
    for (const interval of this.workingIntervalsFrom(from, pauses)) {
      if (interval.start >= to) break;
      total += Math.min(interval.end, to) - interval.start;
      if (interval.end >= to) break;
    }
    return total;
  }

  /**
   * "End of business day": the close of the business day `instant` is in (or, outside opening
   * hours, of the next one), or `null` when the calendar never closes again (24/7).
   *
   * A business day runs from a local day's first opening to its last close; breaks inside the
   * day (lunch) do not end it. A day open until midnight that runs into the next day open from
   * midnight does not close at midnight: its business day runs on until the calendar first
   * closes (seed 000: Mon–Fri 24 hours closes on Friday at midnight, not every night). An
   * instant in such a carried-over stretch belongs to the business day that began before it.
   */
  closeOfBusinessDay(instant: number): number | null {
    const opening = this.nextOpening(instant)!;
    const day = this.dayContaining(opening);
    const first = day.intervals[0]!;
    if (opening < first.end && first.start === day.start && this.isOpenUntil(day.start)) {
      return this.endOfOpenStretch(first);
    }
    return this.endOfOpenStretch(day.intervals.at(-1)!);
  }

  /**
   * The close of the `days`-th business day after the local day of `opening` ("N business
   * days"). Here a business day is a local day with opening hours after `opening`, and its close
   * is the end of that day's last opening range: midnight on a day open until midnight. A count
   * of days keeps counting days on a calendar that does not close at night (24/7 included); only
   * "end of business day" (`days: 0`, see closeOfBusinessDay) waits for the calendar to close.
   */
  endOfBusinessDay(opening: number, days: number): number | null {
    if (days === 0) return this.closeOfBusinessDay(opening);
    let day = this.dayContaining(opening);
    let remaining = days;
    for (let searched = 0; searched < SEARCH_LIMIT_DAYS; searched++, day = this.dayContaining(day.end)) {
      const close = day.intervals.at(-1)?.end;
      if (close === undefined || close <= opening) continue;
      if (remaining === 0) return close;
      remaining--;
      searched = 0;
    }
    throw new AtendeError(
      'calendar.neverOpen',
      `calendar "${this.name}" has no business day ${days} days after ${new Date(opening).toISOString()}`,
    );
  }

  /** Formats an instant in the calendar's zone, e.g. for agents and the CLI. */
  local(instant: number): DateTime {
    return DateTime.fromMillis(instant, { zone: this.timeZone });
  }

  /** Open intervals minus pauses, from `from` onwards; ends when an unfinished pause begins. */
  private *workingIntervalsFrom(from: number, pauses: readonly Pause[]): Generator<Interval> {
    const sorted = pauses.length === 0 ? pauses : [...pauses].sort((a, b) => a.start - b.start);
    for (const interval of this.openIntervalsFrom(from)) {
      let cursor = interval.start;
      for (const pause of sorted) {
        const pauseEnd = pause.end ?? Number.POSITIVE_INFINITY;
        if (pauseEnd <= cursor || pause.start >= interval.end) continue;
        if (pause.start > cursor) yield { start: cursor, end: pause.start };
        cursor = Math.max(cursor, pauseEnd);
        if (cursor >= interval.end) break;
      }
      if (cursor === Number.POSITIVE_INFINITY) return;
      if (cursor < interval.end) yield { start: cursor, end: interval.end };
    }
  }

  /** Whether the calendar is open right up to `instant` (the end of an opening range of the day before it). */
  private isOpenUntil(instant: number): boolean {
    return this.dayContaining(instant - 1).intervals.at(-1)?.end === instant;
  }

  /**
   * Where the run of opening time that `interval` is part of ends: ranges that touch, across
   * midnight too, are one run. `null` when it never ends: past the last holiday, a week open
   * all day every day stays open.
   */
  private endOfOpenStretch(interval: Interval): number | null {
    let end = interval.end;
    for (let searched = 0; searched < SEARCH_LIMIT_DAYS; searched++) {
      const day = this.dayContaining(end);
      if (this.openAllWeek && (this.lastHoliday === undefined || day.date > this.lastHoliday)) return null;
      const next = day.intervals.find((candidate) => candidate.end > end);
      if (next === undefined || next.start > end) return end;
      end = next.end;
    }
    // Ten years without a close (a holiday list that keeps it open): as good as never.
    return null;
  }

  /**
   * The local day containing `instant`. Days are worked out with luxon once and kept in a
   * sorted cache, because the SLA math walks the same few days again and again.
   */
  private dayContaining(instant: number): CalendarDay {
    const days = this.days;
    let low = 0;
    let high = days.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const day = days[middle]!;
      if (instant < day.start) high = middle - 1;
      else if (instant >= day.end) low = middle + 1;
      else return day;
    }
    const day = this.buildDay(DateTime.fromMillis(instant, { zone: this.timeZone }).startOf('day'));
    if (days.length >= DAY_CACHE_LIMIT) {
      days.length = 0;
      days.push(day);
    } else {
      days.splice(low, 0, day);
    }
    return day;
  }

  private buildDay(midnight: DateTime): CalendarDay {
    const date = midnight.toISODate()!;
    const ranges = this.holidays.get(date)?.ranges ?? this.week[WEEKDAYS[midnight.weekday - 1]!]!;
    const intervals: Interval[] = [];
    for (const range of ranges) {
      const start = this.wallClock(midnight, range.start);
      const end = this.wallClock(midnight, range.end);
      // A range inside the hour skipped by a spring-forward change has no real time in it.
      if (end > start) intervals.push({ start, end });
    }
    return { date, start: midnight.toMillis(), end: midnight.plus({ days: 1 }).startOf('day').toMillis(), intervals };
  }

  /** The instant of a wall-clock minute on a local day; minute 1440 is the next day's midnight. */
  private wallClock(day: DateTime, minute: number): number {
    if (minute >= 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
    // Wall-clock fields, not elapsed minutes: "09:00" stays 09:00 on a DST change day.
    return day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }).toMillis();
  }
}
