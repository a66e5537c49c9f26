import type { Channel, Queue } from '../domain/policy/policy-schema.ts';
import { acknowledgementAllowed } from '../domain/ticket/acknowledgement-rules.ts';
import type { Customer } from '../domain/ticket/customer.ts';
import { newTicket } from '../domain/ticket/ticket-lifecycle.ts';
import type { Quarantined } from './inbound-receipts.ts';
import { quarantineEvent } from './inbound-receipts.ts';
import type { ThreadHeaders } from './notification-mail.ts';
import { NotificationMail } from './notification-mail.ts';
import { eventTime, type MailToSend, owedMail, type TicketEvent, type TicketKernelDeps } from './ticket-event.ts';

/** What of a request for a ticket the suspended-support notice needs. */
export interface SuspendedRequest {
  readonly channel: Channel;
  readonly queue: Queue;
  readonly requester: string;
  readonly requesterName: string | null;
  readonly mayAcknowledge: boolean;
  readonly reply: ThreadHeaders;
}

/**
 * A suspended customer's new request: kept, not a ticket; they learn support is suspended,
 * through the outbox like every other mail, and rate-limited like acknowledgements.
 */
export async function answerSuspended(
  deps: TicketKernelDeps,
  event: TicketEvent,
  request: SuspendedRequest,
  customer: Customer,
  subject: string,
): Promise<Quarantined> {
  const { policy, sla } = deps;
  const at = eventTime(event);
  const notify = request.mayAcknowledge && acknowledgementAllowed(customer, event.now);
  const locale =
    customer.locale && policy.languages.offered.includes(customer.locale) ? customer.locale : policy.languages.default;
  // A stand-in ticket view: the notice has no ticket number to show, so 0 marks "none".
  const view = newTicket(
    {
      number: 0,
      queue: request.queue.name,
      requester: request.requester,
      requesterName: request.requesterName,
      participants: [],
      subject,
      normalizedSubject: '',
      priority: policy.priorities.default,
      plan: null,
      region: null,
      channel: request.channel,
      locale,
      flags: [],
      receivedAt: event.now,
      firstRespondedAt: null,
    },
    sla,
  );
  const notice: MailToSend[] = notify
    ? [
        {
          purpose: 'suspended-notice',
          author: 'system',
          mail: new NotificationMail(policy, deps.renderer).suspendedNotice(view, request.reply),
        },
      ]
    : [];
  return quarantineEvent(deps, event, {
    reason: 'inbound.suspendedCustomer',
    details: { from: request.requester },
    owed: owedMail(null, 0, notice),
    ...(notify ? { customer: { ...customer, lastAcknowledgedAt: at, updatedAt: at } } : {}),
  });
}
