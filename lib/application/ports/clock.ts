/** The one source of "now". Domain code takes time as an argument; use cases ask this port. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}
