/**
 * What each message on a ticket was for. Pages and exports must tell the customer's
 * conversation (what the customer wrote and what they were sent) from internal traffic
 * (notices to agents, mail that was kept but not acted on): `purpose` says which.
 * Outbound purposes are the notification kinds that made them.
 */
export const INBOUND_PURPOSES = [
  /** The requester's or a participant's own words (mail, web form). */
  'customer-message',
  /** An authenticated agent's answer, relayed to the customer. */
  'agent-reply',
  /** An agent's mail that was not relayed: it held an internal notice, or no new words. */
  'agent-reply-refused',
  /** Mail claiming a staff address that failed sender authentication: kept, never relayed. */
  'unauthenticated-staff',
  /** An out-of-office or other automatic answer to one of our mails. */
  'auto-reply',
  /** A delivery status notification about one of our mails. */
  'bounce',
  /** An agent's internal note (`#note`, `Internal:`): kept, mailed to the other agents, never to a customer. */
  'internal-note',
  /** An agent's mail of commands only (`#status waiting`): applied, nothing relayed. */
  'agent-commands',
] as const;

export const OUTBOUND_PURPOSES = [
  'acknowledgement',
  'agent-new-ticket',
  'agent-customer-reply',
  'agent-reply-relay',
  'agent-relay-refused',
  'agent-unauthenticated-staff',
  'suspended-notice',
  /** To the queue's agents: a target's warning share has elapsed, or it was breached with no escalation set. */
  'agent-sla-alert',
  /** To an escalation level's contacts (managers): a target was breached. */
  'escalation',
  /** To the requester: the ticket still waits for their answer. */
  'waiting-reminder',
  /** To the requester: the ticket was closed for want of an answer, and how to reopen it. */
  'auto-close-notice',
  /** To the requester: the ticket was resolved, with its summary and (policy) the satisfaction survey. */
  'resolution-summary',
  /** To the queue's agents: the customer's follow-ups the throttle held, in one mail at the end of its window. */
  'agent-held-follow-ups',
  /** To the agent alone: what their mail of commands changed. */
  'agent-commands-applied',
  /** To the queue's agents (and the assignee), never a customer: an agent's internal note. */
  'agent-internal-note',
  /** To the agent alone: their reply was relayed without some of its files (dangerous, over the limit). */
  'agent-attachments-withheld',
] as const;

export type InboundPurpose = (typeof INBOUND_PURPOSES)[number];
export type OutboundPurpose = (typeof OUTBOUND_PURPOSES)[number];
export type MessagePurpose = InboundPurpose | OutboundPurpose;

export const MESSAGE_PURPOSES: readonly MessagePurpose[] = [...INBOUND_PURPOSES, ...OUTBOUND_PURPOSES];

/** Messages a customer wrote or was sent: their side of the conversation. Everything else is internal. */
const CUSTOMER_VISIBLE: ReadonlySet<MessagePurpose> = new Set<MessagePurpose>([
  'customer-message',
  'acknowledgement',
  'agent-reply-relay',
  'suspended-notice',
  'waiting-reminder',
  'auto-close-notice',
  'resolution-summary',
]);

export const isCustomerVisible = (purpose: MessagePurpose): boolean => CUSTOMER_VISIBLE.has(purpose);
