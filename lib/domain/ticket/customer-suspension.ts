import { AtendeError } from '../atende-error.ts';
import type { Policy } from '../policy/policy-schema.ts';
import { isStaff } from '../routing/support-routing.ts';
import { type Customer, newCustomer } from './customer.ts';

/**
 * Suspension of support (seed 004: "podremos tomar la decisión de suspender temporalmente o
 * definitivamente su soporte"): whether a customer may be suspended under a policy, and the
 * record that results. Only a policy with `conduct.suspension.allowed: true` suspends anyone;
 * lifting a suspension is always allowed, so one left over from another policy can be undone.
 */

/**
 * Suspends the customer stored under `key` (an address, lower-cased) as of `at` (ISO time):
 * the record to store, or `null` when it is suspended already (its first `suspendedAt` stays).
 * Throws `conduct.suspensionNotAllowed` when the policy does not allow suspension, and
 * `conduct.notSuspendable` for our own support and agents' addresses and for staff, whose
 * mail is never a customer's.
 */
export function decideSuspension(policy: Policy, key: string, current: Customer | null, at: string): Customer | null {
  if (!policy.conduct.suspension.allowed) {
    throw new AtendeError(
      'conduct.suspensionNotAllowed',
      `the policy does not allow suspending support (conduct.suspension.allowed is false); ${key} was not suspended`,
      { details: { customer: key } },
    );
  }
  if (isOwnOrStaffAddress(policy, key)) {
    throw new AtendeError(
      'conduct.notSuspendable',
      `${key} is a support address, an agents' address or staff under the policy, not a customer`,
      { details: { customer: key } },
    );
  }
  if (current?.suspended) return null;
  return { ...(current ?? newCustomer(key, at)), suspended: true, suspendedAt: at, updatedAt: at };
}

/** Lifts the suspension of `current` as of `at`: the record to store, or `null` when nobody is suspended. */
export function decideUnsuspension(current: Customer | null, at: string): Customer | null {
  if (!current?.suspended) return null;
  return { ...current, suspended: false, suspendedAt: null, updatedAt: at };
}

/**
 * Whether a customer's suspension is in force under this policy: a suspended flag counts only
 * where the policy allows suspension (one stored under another policy does not stop support).
 */
export const suspensionApplies = (policy: Policy, customer: Customer | null | undefined): boolean =>
  policy.conduct.suspension.allowed && customer?.suspended === true;

function isOwnOrStaffAddress(policy: Policy, address: string): boolean {
  return policy.queues.some(
    (queue) => queue.address === address || queue.agents === address || isStaff(policy, queue, address),
  );
}
