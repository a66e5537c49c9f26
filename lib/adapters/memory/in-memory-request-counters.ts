import type { RequestCounters } from '../../application/ports/request-counters.ts';

/** Request counters in a map, for the specs: windows are told apart by their end. */
export class InMemoryRequestCounters implements RequestCounters {
  private readonly counts = new Map<string, number>();

  async increment(name: string, windowEndsAt: number): Promise<number> {
    const key = `${name}@${windowEndsAt}`;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count;
  }
}
