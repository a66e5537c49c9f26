import { beforeAll, describe, expect, it } from 'vitest';
import { HandlebarsNotificationRenderer } from '../../../lib/adapters/templates/handlebars-notification-renderer.ts';
import { AgentReplyNotices } from '../../../lib/application/agent-reply-notices.ts';
import type {
  NotificationContext,
  NotificationRenderer,
} from '../../../lib/application/ports/notification-renderer.ts';
import { TimerNotices } from '../../../lib/application/timer-notices.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { AGENT_NOTICE_WORDS, replyMarkerLine } from '../../../lib/domain/ticket/agent-notice-markers.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';
import { aTicket } from '../../support/ticket-fixtures.ts';
import { sampleAlert } from '../templates/notification-samples.ts';

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
  return new AgentReplyNotices(forPolicy, recording);
};
const timerNotices = (forPolicy = policy) => {
  contexts = [];
  return new TimerNotices(forPolicy, recording);
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

    expect(contexts[0]?.relayRefusal).toMatchObject({
      reason: 'no-new-text',
      at: '2025-03-03T12:05:00.000Z',
      problems: [],
    });
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

describe('the SLA alert to agents', () => {
  it("goes to the queue's agents in the default language, answered through the queue, auto-generated", () => {
    const mail = timerNotices().slaAlert(ticket, agentMail, sampleAlert);

    expect(mail.to).toEqual([{ address: 'servicedesk-agents@example.com' }]);
    expect(mail.cc ?? []).toEqual([]);
    expect(mail.replyTo?.map((address) => address.address)).toEqual(['servicedesk@example.com']);
    expect(mail.autoSubmitted).toBe('auto-generated');
    expect(mail.headers?.['X-Atende-Ticket']).toBe('1042');
    expect(contexts[0]?.slaAlert).toEqual(sampleAlert);
    expect(mail.text.startsWith(`${replyMarkerLine(AGENT_NOTICE_WORDS['en']!)}\n`)).toBe(true);
    expect(mail.subject).toContain('[Atende #1042]');
  });
});

describe('the escalation to a level’s contacts', () => {
  const escalated = { ...sampleAlert, stage: 'escalation', level: 1 } as const;
  const contact = (address: string, language?: string) => ({
    name: address.split('@')[0]!,
    role: 'Manager',
    address,
    ...(language === undefined ? {} : { language }),
  });
  const recent = [
    { direction: 'inbound', from: 'ana@cliente.example', at: message.at, text: 'Any news?', cut: false },
  ] as const;

  it('sends one mail per language, contacts of one language together in To, each in its language', () => {
    const mails = timerNotices().escalation(
      ticket,
      agentMail,
      escalated,
      [contact('boss@example.com'), contact('jefa@example.com', 'es'), contact('owner@example.com', 'en')],
      recent,
    );

    expect(mails.map((mail) => mail.to.map((to) => to.address))).toEqual([
      ['boss@example.com', 'owner@example.com'],
      ['jefa@example.com'],
    ]);
    expect(mails[0]?.subject).toBe('Escalation level 1 (first response): [Atende #1042] Printer on fire');
    expect(mails[1]?.subject).toBe('Escalado, nivel 1 (primera respuesta): [Atende #1042] Printer on fire');
    expect(mails[1]?.text.startsWith(replyMarkerLine(AGENT_NOTICE_WORDS['es']!))).toBe(true);
    for (const mail of mails) {
      expect(mail.cc ?? []).toEqual([]);
      expect(mail.replyTo?.map((address) => address.address)).toEqual(['servicedesk@example.com']);
      expect(mail.autoSubmitted).toBe('auto-generated');
    }
  });

  it('shows every contact of the level and the recent messages in each mail', () => {
    const contacts = [contact('boss@example.com'), contact('jefa@example.com', 'es')];
    const mails = timerNotices().escalation(ticket, agentMail, escalated, contacts, recent);

    for (const context of contexts) {
      expect(context.escalationContacts?.map((shown) => shown.address)).toEqual([
        'boss@example.com',
        'jefa@example.com',
      ]);
      expect(context.recentMessages).toEqual(recent);
    }
    expect(mails[0]?.text).toContain('Any news?');
  });

  it('writes in the default language for a contact whose language the policy does not offer', () => {
    const [mail] = timerNotices().escalation(ticket, agentMail, escalated, [contact('chef@example.com', 'de')], []);

    expect(mail?.subject).toMatch(/^Escalation level 1/);
  });

  it.each(['ana@cliente.example', 'RUI@cliente.example'])(
    'refuses a contact who is a customer of the ticket, %s (notification.recipientIsCustomer)',
    (address) => {
      let caught: unknown;
      try {
        timerNotices().escalation(ticket, agentMail, escalated, [contact('boss@example.com'), contact(address)], []);
      } catch (error) {
        caught = error;
      }

      expect(isAtendeError(caught, 'notification.recipientIsCustomer')).toBe(true);
    },
  );
});

describe("the requester's mail about a wait and a resolution", () => {
  const waiting = { since: '2025-03-03T12:00:00.000Z', closesAt: '2025-03-05T12:00:00.000Z', reopenUntil: null };
  const closed = { ...waiting, closesAt: null, reopenUntil: '2025-03-12T12:00:00.000Z' };
  const resolution = { openedAt: '2025-03-03T11:00:00.000Z', resolvedAt: '2025-03-03T15:00:00.000Z', note: 'Fixed.' };
  const survey = { good: 'https://support.example.com/s/good', bad: 'https://support.example.com/s/bad' };

  const sent = () => {
    const mail = timerNotices();
    return [
      mail.waitingReminder(ticket, agentMail, waiting),
      mail.autoCloseNotice(ticket, agentMail, closed, survey),
      mail.resolutionSummary(ticket, agentMail, resolution, survey),
    ];
  };

  it('goes to the requester alone, never to the participants, auto-generated, from the queue', () => {
    for (const mail of sent()) {
      expect(mail.to).toEqual([{ address: 'ana@cliente.example', name: ticket.requesterName }]);
      expect(mail.cc).toEqual([]);
      expect(mail.autoSubmitted).toBe('auto-generated');
      expect(mail.from.address).toBe('servicedesk@example.com');
      expect(mail.subject).toContain('[Atende #1042]');
    }
  });

  it("is written in the customer's language", () => {
    const [reminder, autoClose, summary] = sent();

    expect(reminder?.subject).toBe('Aguardando sua resposta: [Atende #1042] Printer on fire');
    expect(autoClose?.subject).toBe('Ticket encerrado: [Atende #1042] Printer on fire');
    expect(summary?.subject).toBe('Resolvido: [Atende #1042] Printer on fire');
  });

  it('passes the wait, the resolution and the survey on as given, and no survey when there is none', () => {
    sent();
    expect(contexts.map((context) => [context.waiting, context.resolution, context.survey])).toEqual([
      [waiting, undefined, undefined],
      [closed, undefined, survey],
      [undefined, resolution, survey],
    ]);

    const withoutSurvey = notifications().resolutionSummary(ticket, agentMail, resolution, null);
    expect(contexts[0]?.survey).toBeNull();
    expect(withoutSurvey.text).not.toContain('support.example.com/s/');
  });
});
