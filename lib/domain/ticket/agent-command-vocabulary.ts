import type { Policy, TicketStatus } from '../policy/policy-schema.ts';
import { foldWord, STATUS_WORDS } from './agent-command-words.ts';
import { SETTABLE_STATUSES } from './ticket.ts';

/** What the values of agents' commands may be under a policy, by every name they go by (folded). */
export interface CommandVocabulary {
  readonly statuses: ReadonlyMap<string, TicketStatus>;
  readonly validStatuses: readonly string[];
  readonly priorities: ReadonlyMap<string, string>;
  readonly validPriorities: readonly string[];
  /** Empty for a policy without plans. */
  readonly plans: ReadonlyMap<string, string>;
  readonly validPlans: readonly string[];
  /** The agent who wrote the mail, lower-cased: whom `#take` assigns. */
  readonly author: string;
  /** Whether the ticket may be assigned to this (lower-cased) address: staff of its queue, never a customer of it. */
  readonly mayBeAssigned: (address: string) => boolean;
}

/**
 * The policy's statuses (their keys, their labels in every language the policy names them, and
 * the short words agents type), priorities and plans (names and per-language labels). Where two
 * share a word the first keeps it: the policy's keys, then its labels, then the short words.
 */
export function commandVocabulary(
  policy: Policy,
  who: { readonly author: string; readonly mayBeAssigned: (address: string) => boolean },
): CommandVocabulary {
  const statuses = new Map<string, TicketStatus>();
  const addStatus = (word: string, status: TicketStatus) => {
    const folded = foldWord(word);
    if (folded !== '' && !statuses.has(folded)) statuses.set(folded, status);
  };
  for (const status of SETTABLE_STATUSES) addStatus(status, status);
  for (const status of SETTABLE_STATUSES)
    for (const label of Object.values(policy.statuses[status])) addStatus(label, status);
  for (const [word, status] of Object.entries(STATUS_WORDS)) addStatus(word, status);

  const levels = (entries: readonly { name: string; labels: Readonly<Record<string, string>> }[]) => {
    const names = new Map<string, string>();
    for (const { name } of entries) names.set(foldWord(name), name);
    for (const { name, labels } of entries)
      for (const label of Object.values(labels)) if (!names.has(foldWord(label))) names.set(foldWord(label), name);
    return names;
  };
  const plans = policy.plans?.levels ?? [];
  return {
    statuses,
    validStatuses: SETTABLE_STATUSES,
    priorities: levels(policy.priorities.levels),
    validPriorities: policy.priorities.levels.map((level) => level.name),
    plans: levels(plans),
    validPlans: plans.map((level) => level.name),
    author: who.author.toLowerCase(),
    mayBeAssigned: who.mayBeAssigned,
  };
}
