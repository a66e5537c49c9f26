import type { ScheduledTimer, TimerScheduler } from '../../application/ports/timer-scheduler.ts';

/** A scheduler call as the recording timers saw it. */
export type TimerCall =
  | { readonly call: 'put' | 'move'; readonly timer: ScheduledTimer }
  | { readonly call: 'remove'; readonly name: string };

/**
 * Timers held in memory, with every call kept: use-case tests see what is scheduled, and the
 * bench counts what a ticket's life costs in scheduler calls. It can be told to fail.
 */
export class RecordingTimers implements TimerScheduler {
  readonly calls: TimerCall[] = [];
  private readonly held = new Map<string, ScheduledTimer>();
  private failures: Error[] = [];

  async put(timer: ScheduledTimer): Promise<void> {
    this.record({ call: 'put', timer });
    this.held.set(timer.name, structuredClone(timer));
  }

  async move(timer: ScheduledTimer): Promise<void> {
    this.record({ call: 'move', timer });
    this.held.set(timer.name, structuredClone(timer));
  }

  async remove(name: string): Promise<void> {
    this.record({ call: 'remove', name });
    this.held.delete(name);
  }

  /** What is scheduled now, earliest first. */
  pending(): ScheduledTimer[] {
    return [...this.held.values()].sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
  }

  /** A schedule fired and deleted itself (ActionAfterCompletion: DELETE). */
  fired(name: string): void {
    this.held.delete(name);
  }

  /** The next `count` calls fail with `error`. */
  failNext(error: Error, count = 1): void {
    this.failures.push(...Array.from({ length: count }, () => error));
  }

  private record(call: TimerCall): void {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.calls.push(call);
  }
}
