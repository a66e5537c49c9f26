import { isNoReplyAddress } from '../mail/mail-classification.ts';
import { isMailableAddress } from '../mail/mailable-address.ts';
import type { Policy, Queue } from '../policy/policy-schema.ts';
import { isStaff, ownAddresses, supportAddresses } from '../routing/support-routing.ts';
import type { DeclinedParticipant } from './ticket.ts';

/** Who may be made a participant, as the policy and the mail's authentication say. */
export interface ParticipantRules {
  /** The policy's `participants.max`: people besides the requester. */
  readonly max: number;
  /** False when the mail that names them failed authentication: nobody is added. */
  readonly mayAdd: boolean;
  /** Support and agents addresses: atende's own, never customers. */
  readonly isOwnAddress: (address: string) => boolean;
  /** Staff (who get the ticket's mail as agents) and no-reply addresses (which read nothing): left out without a note. */
  readonly leaveOut: (address: string) => boolean;
}

export interface ParticipantAdmission {
  /** The ticket's participants after this mail, at most `max`. */
  readonly participants: string[];
  /** Everyone named who was not added, and why (shown to agents; never mailed). */
  readonly declined: DeclinedParticipant[];
}

/**
 * How many declined addresses are kept per message: enough for any real list and for the 500-Cc
 * attack seen in testing; a header of 100,000 addresses must not make the message too large to
 * store (the raw mail keeps every one).
 */
export const MAX_DECLINED_KEPT = 1_000;

/**
 * Bounded recipients: the people a customer Cc's join the ticket, in the order named, until the
 * ticket has `max` participants. No mail atende sends about the ticket then has more than
 * `max + 1` recipients, whatever a mail lists (SES refuses more than 50, and a spammer would love
 * a help desk that mails 500 strangers on request). The requester and existing participants are
 * not named again; staff and no-reply addresses are left out silently; everyone else not added is declined with a reason.
 */
export function admitParticipants(
  current: readonly string[],
  requester: string,
  named: readonly string[],
  rules: ParticipantRules,
): ParticipantAdmission {
  const participants = [...current];
  const declined: DeclinedParticipant[] = [];
  const seen = new Set<string>([requester.toLowerCase(), ...current]);
  for (const raw of named) {
    const address = raw.toLowerCase();
    if (seen.has(address)) continue;
    seen.add(address);
    if (rules.leaveOut(address) && !rules.isOwnAddress(address)) continue;
    const reason = rules.isOwnAddress(address)
      ? 'own-address'
      : !rules.mayAdd
        ? 'unauthenticated'
        : !isMailableAddress(address)
          ? 'unmailable'
          : participants.length >= rules.max
            ? 'limit'
            : null;
    if (reason === null) participants.push(address);
    else if (declined.length < MAX_DECLINED_KEPT) declined.push({ address, reason });
  }
  return { participants, declined };
}

/** The rules of a policy's queue; `mayAdd` false when the mail failed authentication. */
export function participantRules(policy: Policy, queue: Queue, mayAdd: boolean): ParticipantRules {
  const support = new Set(supportAddresses(policy));
  const own = new Set(ownAddresses(policy).filter((address) => !support.has(address)));
  return {
    max: policy.participants.max,
    mayAdd,
    // An agents' list Cc'd on a customer's mail is worth a note; the support address it was sent to is not.
    isOwnAddress: (address) => own.has(address),
    leaveOut: (address) => support.has(address) || isStaff(policy, queue, address) || isNoReplyAddress(address),
  };
}

/** Whether `address` is the ticket's requester or one of its participants: someone its internal mail must never reach. */
export const isCustomerOf = (
  ticket: { readonly requester: string; readonly participants: readonly string[] },
  address: string,
): boolean => {
  const wanted = address.toLowerCase();
  return [ticket.requester, ...ticket.participants].some((customer) => customer.toLowerCase() === wanted);
};
