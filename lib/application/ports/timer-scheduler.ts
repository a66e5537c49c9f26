import * as z from 'zod';
import { AtendeError } from '../../domain/atende-error.ts';
import { TIMER_KINDS } from '../../domain/ticket/ticket.ts';

/** Schedule names EventBridge Scheduler accepts: 1–64 characters of `[0-9a-zA-Z-_.]`. */
export const SCHEDULE_NAME = /^[0-9A-Za-z_.-]{1,64}$/;

/** The name as given, or `timer.invalidName`: refused before any scheduler sees it. */
export function checkedScheduleName(name: string): string {
  if (!SCHEDULE_NAME.test(name))
    throw new AtendeError('timer.invalidName', `"${name}" is not a schedule name: 1–64 of [0-9a-zA-Z-_.]`, {
      details: { name },
    });
  return name;
}

/**
 * What a timer delivers when it fires (the Scheduler target's Input; `functions/timer.ts`
 * validates it): which ticket, which timer, and the instant it was planned for, so a firing
 * that comes after the ticket was re-planned is recognised as stale.
 */
export const TimerFiringSchema = z.strictObject({
  /** The schedule that fired: a firing is known by it and its due time, so a repeated delivery acts once. */
  schedule: z.string().regex(SCHEDULE_NAME),
  ticketNumber: z.number().int().positive(),
  kind: z.enum(TIMER_KINDS),
  target: z.enum(['firstResponse', 'resolution']).nullable(),
  level: z.number().int().positive().nullable(),
  dueAt: z.iso.datetime(),
});
export type TimerFiring = z.infer<typeof TimerFiringSchema>;

/**
 * A firing as a schedule delivers it: the same fields, and any a newer deployment added are
 * dropped rather than refused. A schedule deletes itself once it fired, so a firing refused here is
 * a ticket left with no timer at all.
 */
export const DeliveredFiringSchema = z.object(TimerFiringSchema.shape);

/** One timer as the scheduler is to hold it. */
export interface ScheduledTimer {
  readonly name: string;
  readonly at: number;
  /** The IANA zone of the ticket's calendar: schedules read in the support team's own hours. */
  readonly timeZone: string;
  readonly firing: TimerFiring;
}

/**
 * Where a ticket's timers live (EventBridge Scheduler on AWS, a local loop for `npm start`).
 * Both operations are idempotent, so a settle repeated after a crash does no harm.
 */
export interface TimerScheduler {
  /** Creates the schedule, or moves an existing one of that name to the new time and firing. */
  put(timer: ScheduledTimer): Promise<void>;
  /**
   * The same as put for a schedule believed to exist (the ticket's schedule moving): one call when
   * it does; one gone after all is created.
   */
  move(timer: ScheduledTimer): Promise<void>;
  /** Removes the schedule; one already gone (fired, or removed before) is not an error. */
  remove(name: string): Promise<void>;
}
