import { beforeAll, describe, expect, it } from 'vitest';
import { HandlebarsNotificationRenderer } from '../../../lib/adapters/templates/handlebars-notification-renderer.ts';
import { NotificationMail } from '../../../lib/application/notification-mail.ts';
import type {
  NotificationContext,
  NotificationRenderer,
} from '../../../lib/application/ports/notification-renderer.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { AGENT_NOTICE_WORDS, replyMarkerLine } from '../../../lib/domain/ticket/agent-notice-markers.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';
import { aTicket } from '../../support/ticket-fixtures.ts';

const policy = shippedPolicy('default.yaml'); // default language en, staff @example.com
const spanishPolicy = shippedPolicy('examples/hosting-es.yaml'); // default language es
const ticket = aTicket(1042, {
  queue: 'servicedesk',
  requester: 'ana@cliente.example',
  participants: ['rui@cliente.example'],
  locale: 'pt-BR',
});
const agentMail = {
  inReplyTo: '<agent-reply@example.com>',
  references: ['<notice@email.amazonses.com>', '<agent-reply@example.com>'],
};
const message = {
  from: 'ana@cliente.example',
  fromName: 'Ana',
  text: 'It is on fire.',
  at: '2025-03-03T12:00:00.000Z',
};

let renderer: HandlebarsNotificationRenderer;
/** The renderer, recording the context of each render: what the templates were given. */
let contexts: NotificationContext[];
let recording: NotificationRenderer;
beforeAll(async () => {
  renderer = await HandlebarsNotificationRenderer.load();
  recording = {
    locales: () => renderer.locales(),
    render: (kind, locale, context) => {
      contexts.push(context);
      return renderer.render(kind, locale, context);
    },
  };
});
const notifications = (forPolicy = policy) => {
  contexts = [];
  return new NotificationMail(forPolicy, recording);
};

describe("the agents' notifications of a ticket", () => {
  it("carry the reply marker and the banner of the policy's default language, first thing in the text", () => {
    const mail = notifications(spanishPolicy).toAgents(
      'agent-customer-reply',
      aTicket(7, { queue: 'soporte', locale: 'pt-BR' }),
      agentMail,
      { message, flags: [] },
    );
    const words = AGENT_NOTICE_WORDS['es']!;

    expect(contexts[0]?.agentNotice).toEqual({ replyMarker: replyMarkerLine(words), banner: words.banner });
    expect(mail.text.startsWith(`${replyMarkerLine(words)}\n${words.banner}\n`)).toBe(true);
  });

  it('pass on the participants that were not added, and say nothing of them when there are none', () => {
    const declined = [{ address: 'eve@elsewhere.example', reason: 'limit' } as const];

    const listed = notifications().toAgents('agent-new-ticket', ticket, agentMail, {
      message,
      flags: [],
      declinedParticipants: declined,
    });
    expect(contexts[0]?.declinedParticipants).toEqual(declined);
    expect(listed.text).toContain('Not added to the ticket:\n  - eve@elsewhere.example');

    const unlisted = notifications().toAgents('agent-new-ticket', ticket, agentMail, { message, flags: [] });
    expect(contexts[0]).not.toHaveProperty('declinedParticipants');
    expect(unlisted.text).not.toContain('Not added to the ticket');
  });
});

describe('the notice that a reply was not relayed', () => {
  const refuse = (agent: string, forPolicy = policy) =>
    notifications(forPolicy).agentRelayRefused(ticket, agentMail, {
      agent: { address: agent, name: 'João Lima' },
      reason: 'internal-notice',
      at: '2025-03-03T12:05:00.000Z',
    });

  it('goes to the agent who wrote and to nobody else, threaded under their mail', () => {
    const mail = refuse('joao@example.com');

    expect(mail.to).toEqual([{ address: 'joao@example.com', name: 'João Lima' }]);
    expect(mail.cc ?? []).toEqual([]);
    expect(mail.inReplyTo).toBe('<agent-reply@example.com>');
    expect(mail.references).toEqual(agentMail.references);
    expect(mail.autoSubmitted).toBe('auto-replied');
    expect(mail.replyTo).toEqual([{ address: 'servicedesk@example.com', name: 'Atende Support' }]);
  });

  it("is written in the policy's default language, whatever the customer's", () => {
    const mail = notifications(spanishPolicy).agentRelayRefused(
      aTicket(7, { queue: 'soporte', locale: 'pt-BR' }),
      agentMail,
      {
        agent: { address: 'marta@example.com' },
        reason: 'no-new-text',
        at: '2025-03-03T12:05:00.000Z',
      },
    );

    expect(contexts[0]?.relayRefusal).toEqual({ reason: 'no-new-text', at: '2025-03-03T12:05:00.000Z' });
    expect(mail.text).toContain('NO se ha enviado al cliente');
  });

  it('refuses to go to an address that is not staff (notification.recipientNotStaff): never to a customer', () => {
    let caught: unknown;
    try {
      refuse('ana@cliente.example');
    } catch (error) {
      caught = error;
    }

    expect(isAtendeError(caught, 'notification.recipientNotStaff')).toBe(true);
  });
});

describe('the notice of unauthenticated staff mail', () => {
  it('goes to the queue’s agents, answered to them rather than to the customer, and has no reply marker', () => {
    const mail = notifications().agentUnauthenticatedStaff(ticket, agentMail, {
      from: 'joao@example.com',
      fromName: null,
      at: '2025-03-03T12:05:00.000Z',
      verdicts: { spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' },
    });

    expect(mail.to).toEqual([{ address: 'servicedesk-agents@example.com' }]);
    expect(mail.replyTo?.map((address) => address.address)).toEqual(['servicedesk-agents@example.com']);
    expect(contexts[0]?.agentNotice?.replyMarker).toBeNull();
    expect(mail.text).toContain('DKIM:     FAIL');
    expect(mail.text).not.toContain(AGENT_NOTICE_WORDS['en']!.replyMarker);
  });
});
