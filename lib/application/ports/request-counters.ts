/**
 * Counters of requests in fixed windows (the web form's per-address and per-IP limits): one
 * atomic increment per request, forgotten after the window (DynamoDB's TTL, locally a map).
 */
export interface RequestCounters {
  /** Adds one to `name`'s count in the window that ends at `windowEndsAt` (epoch ms) and returns the new count. */
  increment(name: string, windowEndsAt: number): Promise<number>;
}
