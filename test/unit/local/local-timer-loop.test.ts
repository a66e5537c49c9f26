import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { startLocalTimerLoop, type TimerLoop } from '../../../lib/adapters/local/local-timer-loop.ts';
import { LocalTimers } from '../../../lib/adapters/local/local-timers.ts';
import type { ScheduledTimer } from '../../../lib/application/ports/timer-scheduler.ts';
import { at } from '../../support/policy-fixtures.ts';

const INTERVAL_MS = 10;
let directory: string;
let loop: TimerLoop | undefined;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'atende-timer-loop-'));
});
afterEach(async () => {
  await loop?.stop();
  loop = undefined;
  await rm(directory, { recursive: true, force: true });
});

const timer = (ticketNumber: number, iso: string): ScheduledTimer => ({
  name: `ticket-${ticketNumber}-timer-0`,
  at: at(iso),
  timeZone: 'America/Toronto',
  firing: {
    schedule: `ticket-${ticketNumber}-timer-0`,
    ticketNumber,
    kind: 'breach',
    target: 'firstResponse',
    level: null,
    dueAt: new Date(at(iso)).toISOString(),
  },
});
const until = async (condition: () => boolean, what: string): Promise<void> => {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 10_000) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
const rounds = (count: number) => new Promise((resolve) => setTimeout(resolve, count * INTERVAL_MS));

describe("the local stack's timer loop", () => {
  it("fires the timers due by the stack's clock, not the machine's, earliest first", async () => {
    const timers = new LocalTimers(directory);
    await timers.put(timer(1001, '2026-11-23T12:00:00-05:00'));
    await timers.put(timer(1000, '2026-11-23T11:00:00-05:00'));
    await timers.put(timer(1002, '2026-11-24T11:00:00-05:00'));
    const clock = new ManualClock(at('2026-11-23T10:00:00-05:00'));
    const fired: number[] = [];
    loop = startLocalTimerLoop({
      timers,
      clock,
      fire: async (due) => void fired.push(due.firing.ticketNumber),
      log: () => undefined,
      intervalMs: INTERVAL_MS,
    });
    await rounds(5);
    expect(fired).toEqual([]);

    clock.set(at('2026-11-23T13:00:00-05:00'));
    await until(() => fired.length === 2, 'the two timers due fired');

    expect(fired).toEqual([1000, 1001]);
    expect((await timers.pending()).map((held) => held.firing.ticketNumber)).toEqual([1002]);
  });

  it('leaves a round to the process holding the timers (atende clock advance), and fires once it is free', async () => {
    const timers = new LocalTimers(directory);
    await timers.put(timer(1000, '2026-11-23T11:00:00-05:00'));
    const clock = new ManualClock(at('2026-11-23T13:00:00-05:00'));
    const logged: string[] = [];
    const looped: number[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Another process's round (the same lock file): it takes the timer and holds the lock a while.
    const other = new LocalTimers(directory);
    await other.put(timer(1001, '2026-11-23T12:00:00-05:00'));
    let otherStarted = false;
    const otherRound = other.fireDue(clock.now(), async (due) => {
      otherStarted = true;
      if (due.firing.ticketNumber === 1000) await held;
    });
    await until(() => otherStarted, 'the other round started');
    loop = startLocalTimerLoop({
      timers,
      clock,
      fire: async (due) => void looped.push(due.firing.ticketNumber),
      log: (line) => void logged.push(line),
      intervalMs: INTERVAL_MS,
    });

    await rounds(10);
    expect(looped).toEqual([]);
    expect(logged).toEqual([]);
    release();
    await otherRound;

    await timers.put(timer(1002, '2026-11-23T12:30:00-05:00'));
    await until(() => looped.length === 1, 'the loop fired after the other round');
    expect(looped).toEqual([1002]);
    expect(logged).toEqual([]);
  });

  it('logs a firing that fails and fires it again in a later round', async () => {
    const timers = new LocalTimers(directory);
    await timers.put(timer(1000, '2026-11-23T11:00:00-05:00'));
    const logged: string[] = [];
    let attempts = 0;
    loop = startLocalTimerLoop({
      timers,
      clock: new ManualClock(at('2026-11-23T13:00:00-05:00')),
      fire: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('the store is unavailable');
      },
      log: (line) => void logged.push(line),
      intervalMs: INTERVAL_MS,
    });

    await until(() => attempts === 2, 'the failed firing tried again');
    await loop.stop();

    expect(logged).toEqual(['timers: the store is unavailable']);
    expect(await timers.pending()).toEqual([]);
  });

  it('waits for the round in progress when stopped, and starts none after', async () => {
    const timers = new LocalTimers(directory);
    await timers.put(timer(1000, '2026-11-23T11:00:00-05:00'));
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let firing = false;
    let finished = false;
    const started: number[] = [];
    const roundsStarted = { count: 0 };
    const counted = new Proxy(timers, {
      get(target, property, receiver) {
        if (property === 'fireDue')
          return (...args: Parameters<LocalTimers['fireDue']>) => {
            roundsStarted.count += 1;
            return target.fireDue(...args);
          };
        return Reflect.get(target, property, receiver);
      },
    });
    loop = startLocalTimerLoop({
      timers: counted,
      clock: new ManualClock(at('2026-11-23T13:00:00-05:00')),
      fire: async (due) => {
        started.push(due.firing.ticketNumber);
        firing = true;
        await held;
        finished = true;
      },
      log: () => undefined,
      intervalMs: INTERVAL_MS,
    });
    await until(() => firing, 'a firing in progress');
    // Several intervals pass while the firing runs.
    await rounds(10);

    const stopping = loop.stop();
    const roundsAtStop = roundsStarted.count;
    release();
    await stopping;

    expect(finished).toBe(true);
    await rounds(10);
    expect(roundsStarted.count).toBe(roundsAtStop);
    expect(started).toEqual([1000]);
  });
});
