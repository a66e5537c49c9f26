import type { Policy, Queue } from '../policy/policy-schema.ts';
import type { Customer } from '../ticket/customer.ts';

/**
 * Who is who under a policy: which queue a mail is for, who is staff, and which
 * plan and region a customer has. Addresses are compared lower-cased.
 */

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

interface CustomerMatch {
  readonly addresses: readonly string[];
  readonly domains: readonly string[];
}

/** An address matches by itself, or by its domain or any parent domain (mail.example.com matches example.com). */
export function matchesCustomer(match: CustomerMatch, address: string): boolean {
  const lower = address.toLowerCase();
  if (match.addresses.includes(lower)) return true;
  const domain = domainOf(lower);
  return match.domains.some((candidate) => domain === candidate || domain.endsWith(`.${candidate}`));
}

/** Every support address of the policy: mail from these is our own. */
export const supportAddresses = (policy: Policy): string[] => policy.queues.map((queue) => queue.address);

/**
 * Every address that is atende's own: the support addresses it answers from and the agents'
 * addresses it notifies. Mail from them is never a customer's (a list that forwards our notice
 * back must not open a ticket and notify the list again), and they are never participants.
 */
export const ownAddresses = (policy: Policy): string[] => [
  ...new Set(policy.queues.flatMap((queue) => [queue.address, queue.agents])),
];

/**
 * The queue a mail is for: the first envelope recipient (SES receipt recipients) that is a
 * support address, else the first such address in To/Cc. Null when it names none of them.
 */
export function queueForRecipients(policy: Policy, recipients: readonly string[]): Queue | null {
  for (const recipient of recipients) {
    const queue = policy.queues.find((candidate) => candidate.address === recipient.toLowerCase());
    if (queue) return queue;
  }
  return null;
}

/** The queue a ticket belongs to; a ticket of a queue the policy no longer has falls back to the first. */
export const ticketQueue = (policy: Policy, ticket: { readonly queue: string }): Queue =>
  policy.queues.find((candidate) => candidate.name === ticket.queue) ?? policy.queues[0]!;

/** Staff of the whole policy or of this queue: their mail to a ticket is an agent's reply. */
export function isStaff(policy: Policy, queue: Queue, address: string): boolean {
  return matchesCustomer(policy.staff, address) || (queue.staff !== undefined && matchesCustomer(queue.staff, address));
}

/** The customer's plan: their record's, else the policy's mapping by address or domain, else the default (null without plans). */
export function planFor(policy: Policy, address: string, customer: Customer | null): string | null {
  const plans = policy.plans;
  if (!plans) return null;
  if (customer?.plan && plans.levels.some((plan) => plan.name === customer.plan)) return customer.plan;
  return plans.levels.find((plan) => matchesCustomer(plan.customers, address))?.name ?? plans.default;
}

/** The customer's region: their record's, else the policy's mapping by address or domain, else none. */
export function regionFor(policy: Policy, address: string, customer: Customer | null): string | null {
  if (customer?.region && policy.regions.some((region) => region.name === customer.region)) return customer.region;
  return policy.regions.find((region) => matchesCustomer(region.customers, address))?.name ?? null;
}
