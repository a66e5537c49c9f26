import type { Channel } from '../../domain/policy/policy-schema.ts';
import type { OutboundPurpose } from '../../domain/ticket/message-purpose.ts';
import type { ThreadedVia } from '../../domain/ticket/threading.ts';

/**
 * What happened to the support work, in its own words, as the use cases report it at the moment
 * it is final: a ticket opened or a message threaded once its write committed (a redelivery that
 * finds its receipt reports nothing again), a mail sent or refused for good when SES answered, an
 * escalation level once the firing that reached it committed. Metrics and logs are built from it
 * by an adapter (support-metrics.ts names them on CloudWatch).
 */
export type SupportActivity =
  | { readonly kind: 'ticket-opened'; readonly ticketNumber: number; readonly channel: Channel }
  | { readonly kind: 'message-threaded'; readonly ticketNumber: number; readonly via: ThreadedVia }
  | { readonly kind: 'message-quarantined'; readonly reason: string }
  | { readonly kind: 'mail-sent'; readonly ticketNumber: number | null; readonly purpose: OutboundPurpose }
  | {
      readonly kind: 'mail-failed';
      readonly ticketNumber: number | null;
      readonly purpose: OutboundPurpose;
      /** The refusal's code (`mail.rejected`, `mail.sendingPaused` …), recorded on the ticket too. */
      readonly code: string;
    }
  | { readonly kind: 'escalation-sent'; readonly ticketNumber: number; readonly level: number };

export type SupportActivityKind = SupportActivity['kind'];

/**
 * Where the use cases report what happened. Reporting never fails the work: an implementation
 * buffers (metrics are flushed at the end of an invocation) and does no I/O that can throw.
 */
export interface ActivityReporter {
  report(activity: SupportActivity): void;
}

/** Reports to the deployment's reporter, if it has one (the local stack and most tests have none). */
export const reportActivity = (deps: { readonly activity?: ActivityReporter }, activity: SupportActivity): void =>
  deps.activity?.report(activity);
