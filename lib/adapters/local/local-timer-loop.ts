import type { Clock } from '../../application/ports/clock.ts';
import type { ScheduledTimer } from '../../application/ports/timer-scheduler.ts';
import { isAtendeError } from '../../domain/atende-error.ts';
import type { LocalTimers } from './local-timers.ts';

/** How often the running stack looks for timers due: Scheduler's own precision is a minute. */
export const TIMER_LOOP_INTERVAL_MS = 5_000;

export interface TimerLoop {
  stop(): Promise<void>;
}

/**
 * The local stand-in for Scheduler invoking the timer Lambda: every few seconds, the timers due by
 * the stack's clock fire, earliest first. A round another process is running (`atende clock
 * advance`) is left to it; a firing that fails stays held and is tried in the next round, as
 * Scheduler retries. Stopping waits for the round in progress.
 */
export function startLocalTimerLoop(options: {
  readonly timers: LocalTimers;
  readonly clock: Clock;
  readonly fire: (timer: ScheduledTimer) => Promise<void>;
  readonly log: (line: string) => void;
  readonly intervalMs?: number;
}): TimerLoop {
  // The round in progress, if any. An interval that comes while one runs starts none: rounds
  // never pile up behind a slow one, and none starts once stopped.
  let round: Promise<void> | null = null;
  let stopped = false;
  const interval = setInterval(() => {
    if (stopped || round !== null) return;
    round = options.timers
      .fireDue(() => options.clock.now(), options.fire, { wait: false })
      .then(() => undefined)
      .catch((error: unknown) => {
        if (isAtendeError(error, 'timer.busy')) return;
        options.log(`timers: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        round = null;
      });
  }, options.intervalMs ?? TIMER_LOOP_INTERVAL_MS);
  interval.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(interval);
      await round;
    },
  };
}
