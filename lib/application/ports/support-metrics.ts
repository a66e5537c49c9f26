import type { SupportActivityKind } from './support-activity.ts';

/**
 * The CloudWatch names of the support activity, one metric per kind (Count, one per occurrence),
 * in the namespace `Atende` with the single dimension `service=atende`. The CDK stack's alarms read
 * these names: `MailFailed` (Sum over 5 minutes > 0) is the alarm on permanent send failures.
 * A metric is found by its exact dimension set, so no other dimension is added to these.
 */
export const SUPPORT_METRICS = {
  namespace: 'Atende',
  dimensions: { service: 'atende' },
  names: {
    'ticket-opened': 'TicketsCreated',
    'message-threaded': 'MessagesThreaded',
    'message-quarantined': 'MessagesQuarantined',
    'mail-sent': 'MailSent',
    'mail-failed': 'MailFailed',
    'escalation-sent': 'Escalations',
  },
} as const satisfies {
  readonly namespace: string;
  readonly dimensions: { readonly service: string };
  readonly names: Readonly<Record<SupportActivityKind, string>>;
};

export type SupportMetricName = (typeof SUPPORT_METRICS.names)[SupportActivityKind];
