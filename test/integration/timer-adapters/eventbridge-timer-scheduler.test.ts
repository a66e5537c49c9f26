import { CreateScheduleGroupCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeTimerScheduler } from '../../../lib/adapters/aws/eventbridge-timer-scheduler.ts';
import type { ScheduledTimer } from '../../../lib/application/ports/timer-scheduler.ts';
import { motoClientConfig, useMotoServer } from '../../support/moto-server.ts';
import { at } from '../../support/policy-fixtures.ts';

// The same calls as the unit spec, answered by moto_server's Scheduler API (it stores schedules; it does not fire them).
const moto = useMotoServer();
let client: SchedulerClient;
let timers: EventBridgeTimerScheduler;
const GROUP = 'atende-tickets';

beforeAll(async () => {
  client = new SchedulerClient(motoClientConfig(moto().endpoint));
  await client.send(new CreateScheduleGroupCommand({ Name: GROUP }));
  timers = new EventBridgeTimerScheduler({
    client,
    groupName: GROUP,
    targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:atende-timer',
    roleArn: 'arn:aws:iam::123456789012:role/atende-scheduler',
    deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:atende-timers-dlq',
    now: () => at('2026-11-23T09:00:00-05:00'),
  });
});
afterAll(() => client?.destroy());

const warning = (name: string, iso: string): ScheduledTimer => ({
  name,
  at: at(iso),
  timeZone: 'America/Toronto',
  firing: {
    schedule: name,
    ticketNumber: 1000,
    kind: 'warning',
    target: 'firstResponse',
    level: null,
    dueAt: new Date(at(iso)).toISOString(),
  },
});

const stored = (name: string) => client.send(new GetScheduleCommand({ Name: name, GroupName: GROUP }));

describe('EventBridgeTimerScheduler against moto', () => {
  it('creates a schedule Scheduler accepts, with its zone, self-deletion and target', async () => {
    await timers.put(warning('ticket-1000-timer-0', '2026-11-23T13:00:00-05:00'));

    const schedule = await stored('ticket-1000-timer-0');
    expect(schedule).toMatchObject({
      ScheduleExpression: 'at(2026-11-23T13:00:00)',
      ScheduleExpressionTimezone: 'America/Toronto',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:lambda:us-east-1:123456789012:function:atende-timer' },
    });
    expect(JSON.parse(schedule.Target!.Input!)).toMatchObject({ ticketNumber: 1000, kind: 'warning' });
  });

  it('moves a schedule planned again instead of failing', async () => {
    await timers.put(warning('ticket-1001-timer-0', '2026-11-23T13:00:00-05:00'));
    await timers.put(warning('ticket-1001-timer-0', '2026-11-23T16:00:00-05:00'));

    expect((await stored('ticket-1001-timer-0')).ScheduleExpression).toBe('at(2026-11-23T16:00:00)');
  });

  it('removes a schedule, and removing it again is no error', async () => {
    await timers.put(warning('ticket-1002-timer-0', '2026-11-23T13:00:00-05:00'));

    await timers.remove('ticket-1002-timer-0');
    await timers.remove('ticket-1002-timer-0');

    await expect(stored('ticket-1002-timer-0')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
