/**
 * What atende remembers about a customer: an address (`ana@example.com`) or a whole
 * domain (`example.com`). Instants are ISO-8601 strings in UTC; `null` means "never".
 */
export interface Customer {
  /** Lower-cased address or domain; the key the customer is looked up by. */
  readonly key: string;
  readonly plan: string | null;
  readonly locale: string | null;
  readonly region: string | null;
  /** A suspended customer gets the suspended-support notice instead of a ticket. */
  readonly suspended: boolean;
  readonly suspendedAt: string | null;
  /** When the customer was last sent an acknowledgement (per-sender acknowledgement rate limit). */
  readonly lastAcknowledgedAt: string | null;
  /** When an acknowledgement last quoted the conduct rules to them (`conduct.noticeEvery`). */
  readonly lastConductNoticeAt: string | null;
  readonly updatedAt: string;
}

/** A customer atende has not met before: default plan, language and region from the policy, no history. */
export const newCustomer = (key: string, at: string): Customer => ({
  key: key.toLowerCase(),
  plan: null,
  locale: null,
  region: null,
  suspended: false,
  suspendedAt: null,
  lastAcknowledgedAt: null,
  lastConductNoticeAt: null,
  updatedAt: at,
});
