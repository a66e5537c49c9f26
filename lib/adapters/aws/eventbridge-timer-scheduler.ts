import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { DateTime } from 'luxon';
import {
  checkedScheduleName,
  type ScheduledTimer,
  type TimerScheduler,
} from '../../application/ports/timer-scheduler.ts';

export interface EventBridgeTimerSchedulerOptions {
  readonly client: SchedulerClient;
  /** The schedule group every ticket timer lives in (one per deployment). */
  readonly groupName: string;
  /** The timer Lambda's ARN, and the role Scheduler assumes to invoke it. */
  readonly targetArn: string;
  readonly roleArn: string;
  /** The SQS queue a firing goes to when every retry failed, so none is lost silently. */
  readonly deadLetterArn: string;
  /** Scheduler's own retries of a failed invocation (0–185), and how long a firing stays worth delivering. */
  readonly maximumRetryAttempts?: number;
  readonly maximumEventAgeInSeconds?: number;
  /** The time now (default the machine's): a timer already due is scheduled a minute from it. */
  readonly now?: () => number;
}

/**
 * How far ahead a timer already due (or about to be) is scheduled: Scheduler's documentation does
 * not promise to fire a one-time schedule whose time has passed, and it fires with one-minute
 * precision anyway. The firing carries the instant it was planned for, and acts as due.
 */
export const OVERDUE_DELAY_MS = 60_000;

/**
 * The `at(...)` expression and its zone for an instant. Scheduler reads `at` as a wall-clock time
 * in the zone, so the calendar's zone makes schedules read in the team's own hours; a wall time
 * the zone repeats at a DST change would be ambiguous there, so a timer within an hour of one is
 * written in UTC instead. Scheduler fires with one-minute precision and never early, so an instant is
 * rounded up to its second: a timer must not fire before what it waits for is due.
 */
export function atExpression(at: number, timeZone: string): { expression: string; timeZone: string } {
  const instant = Math.ceil(at / 1000) * 1000;
  const local = DateTime.fromMillis(instant, { zone: timeZone });
  // Within an hour of an offset change, a wall time may name two instants (or the zone is unknown).
  const nearChange =
    !local.isValid ||
    local.offset !== local.minus({ hours: 1 }).offset ||
    local.offset !== local.plus({ hours: 1 }).offset;
  if (!nearChange) return { expression: `at(${local.toFormat("yyyy-MM-dd'T'HH:mm:ss")})`, timeZone };
  const utc = DateTime.fromMillis(instant, { zone: 'UTC' }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
  return { expression: `at(${utc})`, timeZone: 'UTC' };
}

/** Ticket timers as one-time EventBridge Scheduler schedules that invoke the timer Lambda once and delete themselves. */
export class EventBridgeTimerScheduler implements TimerScheduler {
  constructor(private readonly options: EventBridgeTimerSchedulerOptions) {}

  /** The CreateSchedule (and UpdateSchedule: the same fields) request for a timer. */
  scheduleInput(timer: ScheduledTimer): CreateScheduleCommandInput {
    const earliest = (this.options.now ?? Date.now)() + OVERDUE_DELAY_MS;
    const { expression, timeZone } = atExpression(Math.max(timer.at, earliest), timer.timeZone);
    return {
      Name: checkedScheduleName(timer.name),
      GroupName: this.options.groupName,
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: timeZone,
      // A timer means a moment: no window in which Scheduler may choose to fire later.
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: this.options.targetArn,
        RoleArn: this.options.roleArn,
        Input: JSON.stringify(timer.firing),
        RetryPolicy: {
          MaximumRetryAttempts: this.options.maximumRetryAttempts ?? 10,
          MaximumEventAgeInSeconds: this.options.maximumEventAgeInSeconds ?? 24 * 60 * 60,
        },
        DeadLetterConfig: { Arn: this.options.deadLetterArn },
      },
    };
  }

  async put(timer: ScheduledTimer): Promise<void> {
    const input = this.scheduleInput(timer);
    try {
      await this.options.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      // Planned before (a repeated settle, or a moved timer): the same name now means the new time.
      if (!(error instanceof ConflictException)) throw error;
      await this.options.client.send(new UpdateScheduleCommand(input));
    }
  }

  async move(timer: ScheduledTimer): Promise<void> {
    const input = this.scheduleInput(timer);
    try {
      await this.options.client.send(new UpdateScheduleCommand(input));
    } catch (error) {
      // Fired and deleted itself, or an earlier settle never created it: the timer is created now.
      if (!(error instanceof ResourceNotFoundException)) throw error;
      await this.put(timer);
    }
  }

  async remove(name: string): Promise<void> {
    try {
      await this.options.client.send(
        new DeleteScheduleCommand({ Name: checkedScheduleName(name), GroupName: this.options.groupName }),
      );
    } catch (error) {
      // Fired and deleted itself, or removed by an earlier settle: what was asked for holds.
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
