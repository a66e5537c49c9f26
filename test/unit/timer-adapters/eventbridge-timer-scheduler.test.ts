import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { atExpression, EventBridgeTimerScheduler } from '../../../lib/adapters/aws/eventbridge-timer-scheduler.ts';
import { type ScheduledTimer, TimerFiringSchema } from '../../../lib/application/ports/timer-scheduler.ts';
import { at } from '../../support/policy-fixtures.ts';

// The exact Scheduler requests; moto_server's answers to them come with the integration spec.
const scheduler = mockClient(SchedulerClient);
const options = {
  client: new SchedulerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  groupName: 'atende-tickets',
  targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:atende-timer',
  roleArn: 'arn:aws:iam::123456789012:role/atende-scheduler',
  deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:atende-timers-dlq',
  // The morning of the timers below: none of them is overdue.
  now: () => at('2026-11-23T09:00:00-05:00'),
};
const timers = new EventBridgeTimerScheduler(options);

const breach: ScheduledTimer = {
  name: 'ticket-1000-timer-0',
  at: at('2026-11-23T14:00:00-05:00'),
  timeZone: 'America/Toronto',
  firing: {
    schedule: 'ticket-1000-timer-0',
    ticketNumber: 1000,
    kind: 'breach',
    target: 'firstResponse',
    level: null,
    dueAt: '2026-11-23T19:00:00.000Z',
  },
};

beforeEach(() => scheduler.reset());
afterAll(() => scheduler.restore());

describe('EventBridge Scheduler timers', () => {
  it('creates a one-time schedule in the calendar’s zone that deletes itself, with retries and a dead-letter queue', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:…' });

    await timers.put(breach);

    const calls = scheduler.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      Name: 'ticket-1000-timer-0',
      GroupName: 'atende-tickets',
      ScheduleExpression: 'at(2026-11-23T14:00:00)',
      ScheduleExpressionTimezone: 'America/Toronto',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:atende-timer',
        RoleArn: 'arn:aws:iam::123456789012:role/atende-scheduler',
        Input: JSON.stringify(breach.firing),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:atende-timers-dlq' },
      },
    });
    expect(TimerFiringSchema.parse(JSON.parse(calls[0]!.args[0].input.Target!.Input!))).toEqual(breach.firing);
  });

  it('moves a schedule that exists already instead of failing: re-planning is idempotent', async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        Message: 'Schedule already exists',
        message: 'Schedule already exists',
        $metadata: {},
      }),
    );
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:…' });
    const moved = { ...breach, at: at('2026-11-23T17:00:00-05:00') };

    await timers.put(moved);

    const update = scheduler.commandCalls(UpdateScheduleCommand);
    expect(update).toHaveLength(1);
    expect(update[0]!.args[0].input).toMatchObject({
      Name: 'ticket-1000-timer-0',
      ScheduleExpression: 'at(2026-11-23T17:00:00)',
      ActionAfterCompletion: 'DELETE',
    });
  });

  it('moves the ticket’s schedule with one UpdateSchedule, and creates it when it is gone after all', async () => {
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:…' });
    await timers.move(breach);
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(1);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);

    scheduler.reset();
    scheduler
      .on(UpdateScheduleCommand)
      .rejects(
        new ResourceNotFoundException({ Message: 'Schedule not found', message: 'Schedule not found', $metadata: {} }),
      );
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:…' });
    await timers.move(breach);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input).toMatchObject({
      Name: 'ticket-1000-timer-0',
      ScheduleExpression: 'at(2026-11-23T14:00:00)',
    });
  });

  it('schedules a timer already due a minute from now, keeping the instant it was planned for in its firing', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:…' });
    const late = new EventBridgeTimerScheduler({ ...options, now: () => at('2026-11-23T15:30:00-05:00') });

    await late.put(breach);

    const input = scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    expect(input.ScheduleExpression).toBe('at(2026-11-23T15:31:00)');
    expect(JSON.parse(input.Target!.Input!).dueAt).toBe('2026-11-23T19:00:00.000Z');
  });

  it('takes a schedule already gone as removed', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(
        new ResourceNotFoundException({ Message: 'Schedule not found', message: 'Schedule not found', $metadata: {} }),
      );

    await expect(timers.remove('ticket-1000-timer-0')).resolves.toBeUndefined();
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]!.args[0].input).toEqual({
      Name: 'ticket-1000-timer-0',
      GroupName: 'atende-tickets',
    });
  });

  it('passes on any other refusal, so the settle is retried', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ValidationException({ Message: 'bad role', message: 'bad role', $metadata: {} }));

    await expect(timers.put(breach)).rejects.toBeInstanceOf(ValidationException);
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('refuses a name Scheduler would refuse, before calling it', async () => {
    await expect(timers.put({ ...breach, name: `atende-${'x'.repeat(60)}` })).rejects.toMatchObject({
      code: 'timer.invalidName',
    });
    await expect(timers.remove('ticket 1000')).rejects.toMatchObject({ code: 'timer.invalidName' });
    expect(scheduler.calls()).toHaveLength(0);
  });
});

describe('the at() expression of a timer', () => {
  it('is the wall-clock time in the calendar’s zone', () => {
    expect(atExpression(at('2026-07-01T09:30:00-04:00'), 'America/Toronto')).toEqual({
      expression: 'at(2026-07-01T09:30:00)',
      timeZone: 'America/Toronto',
    });
  });

  it('never fires early: a fraction of a second rounds up', () => {
    expect(atExpression(at('2026-07-01T13:30:00Z') + 1, 'UTC').expression).toBe('at(2026-07-01T13:30:01)');
  });

  it('is written in UTC near a DST change, where a wall time can name two instants', () => {
    // Toronto falls back on 2026-11-01 at 02:00: 01:30 happens twice.
    expect(atExpression(at('2026-11-01T01:30:00-04:00'), 'America/Toronto')).toEqual({
      expression: 'at(2026-11-01T05:30:00)',
      timeZone: 'UTC',
    });
    expect(atExpression(at('2026-11-01T01:30:00-05:00'), 'America/Toronto')).toEqual({
      expression: 'at(2026-11-01T06:30:00)',
      timeZone: 'UTC',
    });
    // Spring forward on 2026-03-08: 03:30 exists once, but is within the hour of the change.
    expect(atExpression(at('2026-03-08T03:30:00-04:00'), 'America/Toronto').timeZone).toBe('UTC');
  });
});
