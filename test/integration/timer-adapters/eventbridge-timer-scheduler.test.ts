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
  });
});
afterAll(() => client?.destroy());

const warning = (name: string, iso: string): ScheduledTimer => ({
  name,
  at: at(iso),
  timeZone: 'America/Toronto',
  firing: {
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
    await timers.put(warning('atende-1000-firstResponse.warning', '2026-11-23T13:00:00-05:00'));

    const schedule = await stored('atende-1000-firstResponse.warning');
    expect(schedule).toMatchObject({
      ScheduleExpression: 'at(2026-11-23T13:00:00)',
      ScheduleExpressionTimezone: 'America/Toronto',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:lambda:us-east-1:123456789012:function:atende-timer' },
    });
    expect(JSON.parse(schedule.Target!.Input!)).toMatchObject({ ticketNumber: 1000, kind: 'warning' });
  });

  it('moves a schedule planned again instead of failing', async () => {
    await timers.put(warning('atende-1001-firstResponse.warning', '2026-11-23T13:00:00-05:00'));
    await timers.put(warning('atende-1001-firstResponse.warning', '2026-11-23T16:00:00-05:00'));

    expect((await stored('atende-1001-firstResponse.warning')).ScheduleExpression).toBe('at(2026-11-23T16:00:00)');
  });

  it('removes a schedule, and removing it again is no error', async () => {
    await timers.put(warning('atende-1002-firstResponse.warning', '2026-11-23T13:00:00-05:00'));

    await timers.remove('atende-1002-firstResponse.warning');
    await timers.remove('atende-1002-firstResponse.warning');

    await expect(stored('atende-1002-firstResponse.warning')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
