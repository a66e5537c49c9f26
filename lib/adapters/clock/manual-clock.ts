import type { Clock } from '../../application/ports/clock.ts';

/** A clock that moves only when told: tests, and the local stack's `atende clock advance`. */
export class ManualClock implements Clock {
  constructor(private instant: number) {}

  now(): number {
    return this.instant;
  }

  set(instant: number): void {
    this.instant = instant;
  }

  advance(milliseconds: number): void {
    this.instant += milliseconds;
  }
}
