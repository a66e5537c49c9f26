import { describe, expect, it } from 'vitest';
import { type OpenTicketRequest, openTicket } from '../../../lib/application/open-ticket.ts';
import type { TicketEvent } from '../../../lib/application/ticket-event.ts';
import { pipeline } from '../../support/ingest-pipeline.ts';

/**
 * openTicket is channel-neutral: a web-form post (no mail, no Message-ID, no raw message) opens a
 * ticket through the same kernel as a mail, so the web form and the timers reuse it unchanged.
 */
const queueOf = (policy: ReturnType<typeof pipeline>['policy'], address: string) => {
  const queue = policy.queues.find((candidate) => candidate.address === address);
  if (!queue) throw new Error(`no queue ${address}`);
  return queue;
};

const webRequest = (
  policy: ReturnType<typeof pipeline>['policy'],
  overrides: Partial<OpenTicketRequest> = {},
): OpenTicketRequest => ({
  channel: 'web',
  queue: queueOf(policy, 'servicedesk@example.com'),
  requester: 'lucia@cliente.example',
  requesterName: 'Lucía',
  subject: 'No puedo entrar al portal',
  text: 'Desde ayer el portal me dice que mi usuario no existe.',
  localeHint: 'es',
  priorityHint: 'high',
  participantsNamed: [],
  mayAddParticipants: true,
  mayAcknowledge: true,
  flags: [],
  message: {
    from: 'lucia@cliente.example',
    to: [],
    cc: [],
    messageId: null,
    contentKey: null,
    inReplyTo: null,
    references: [],
    rawKey: null,
    attachments: [],
  },
  reply: { inReplyTo: null, references: [] },
  threadIds: [],
  ...overrides,
});

describe('openTicket for a channel other than mail', () => {
  it('opens a web ticket with the form’s language and priority, acknowledged and notified', async () => {
    const { deps, store, mailer, clock } = pipeline();
    const event: TicketEvent = { key: 'web-form-1', now: clock.now(), rawKey: null };

    const result = await openTicket(deps, event, webRequest(deps.policy));

    expect(result).toMatchObject({ outcome: 'created', sent: ['acknowledgement', 'agent-new-ticket'] });
    const ticket = await store.getTicket(result.outcome === 'created' ? result.ticketNumber : 0);
    expect(ticket).toMatchObject({
      channel: 'web',
      requester: 'lucia@cliente.example',
      priority: 'high',
      locale: 'es',
    });
    const acknowledgement = mailer.sent.find((mail) => mail.to.some((to) => to.address === 'lucia@cliente.example'));
    expect(acknowledgement?.to).toHaveLength(1);
    expect(acknowledgement?.subject).toContain('No puedo entrar al portal');
  });

  it('is idempotent on the event’s key: the form posted twice is one ticket and one acknowledgement', async () => {
    const { deps, mailer, clock } = pipeline();
    const event: TicketEvent = { key: 'web-form-2', now: clock.now(), rawKey: null };

    const first = await openTicket(deps, event, webRequest(deps.policy));
    const second = await openTicket(deps, event, webRequest(deps.policy));

    expect(first.outcome).toBe('created');
    expect(second).toMatchObject({
      outcome: 'duplicate',
      ticketNumber: first.outcome === 'created' ? first.ticketNumber : -1,
    });
    expect(mailer.sent.filter((mail) => mail.to.some((to) => to.address === 'lucia@cliente.example'))).toHaveLength(1);
  });

  it('joins the requester’s open mail ticket on the same subject, as the policy’s duplicates rule says', async () => {
    const { deps, receive, clock } = pipeline();
    const byMail = await receive({ from: 'lucia@cliente.example', subject: 'No puedo entrar al portal' });
    const event: TicketEvent = { key: 'web-form-3', now: clock.now(), rawKey: null };

    const byForm = await openTicket(deps, event, webRequest(deps.policy));

    expect(deps.policy.conduct.duplicates).toBe('merge');
    expect(byForm).toMatchObject({
      outcome: 'threaded',
      via: 'subject',
      ticketNumber: 'ticketNumber' in byMail ? byMail.ticketNumber : -1,
    });
  });
});
