import type { Policy } from '../domain/policy/policy-schema.ts';
import type { Customer } from '../domain/ticket/customer.ts';
import { decideSuspension, decideUnsuspension } from '../domain/ticket/customer-suspension.ts';
import type { Clock } from './ports/clock.ts';
import { normalizeAddress, type TicketStore } from './ports/ticket-store.ts';

export interface CustomerSuspensionDeps {
  readonly store: Pick<TicketStore, 'getCustomer' | 'saveCustomer'>;
  readonly policy: Policy;
  readonly clock: Clock;
}

export interface SuspensionOutcome {
  /** The customer's record after the command; null for an address atende has no record of. */
  readonly customer: Customer | null;
  /** False when the record already said so: nothing was written. */
  readonly changed: boolean;
}

/**
 * Suspends support for a customer address (`atende customers suspend`): ingest then keeps
 * their new mail and answers with the suspended-support notice instead of opening a ticket.
 * Refused with `conduct.suspensionNotAllowed` where the policy does not allow suspension (and
 * `conduct.notSuspendable` for our own addresses and staff); a refusal writes nothing.
 * The record is written whole (last write wins), as every customer write is.
 */
export async function suspendCustomer(deps: CustomerSuspensionDeps, address: string): Promise<SuspensionOutcome> {
  const key = normalizeAddress(address);
  const current = await deps.store.getCustomer(key);
  const next = decideSuspension(deps.policy, key, current, new Date(deps.clock.now()).toISOString());
  if (next === null) return { customer: current, changed: false };
  await deps.store.saveCustomer(next);
  return { customer: next, changed: true };
}

/** Lifts a customer's suspension (`atende customers unsuspend`), whatever the policy says. */
export async function unsuspendCustomer(deps: CustomerSuspensionDeps, address: string): Promise<SuspensionOutcome> {
  const current = await deps.store.getCustomer(normalizeAddress(address));
  const next = decideUnsuspension(current, new Date(deps.clock.now()).toISOString());
  if (next === null) return { customer: current, changed: false };
  await deps.store.saveCustomer(next);
  return { customer: next, changed: true };
}
