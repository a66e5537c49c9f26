import { beforeAll, describe, expect, it } from 'vitest';
import { HandlebarsNotificationRenderer } from '../../../lib/adapters/templates/handlebars-notification-renderer.ts';
import {
  AGENT_NOTIFICATION_KINDS,
  type NotificationContext,
} from '../../../lib/application/ports/notification-renderer.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { DEFAULT_MAIL_LIMITS } from '../../../lib/domain/mail/mail-limits.ts';
import { readHtmlReplyLines } from '../../../lib/domain/mail/quoted-html.ts';
import { agentNoticeWords, replyMarkerLine } from '../../../lib/domain/ticket/agent-notice-markers.ts';
import {
  agentNoticeFor,
  baseContext,
  sampleAlert,
  sampleCommandHelp,
  sampleContext,
  sampleProblems,
} from './notification-samples.ts';

const LOCALES = ['en', 'es', 'pt-BR', 'de', 'ru'];

let renderer: HandlebarsNotificationRenderer;
beforeAll(async () => {
  renderer = await HandlebarsNotificationRenderer.load();
});

/** The HTML as a reader sees it, one line per block. */
const htmlLines = (html: string): string[] => readHtmlReplyLines(html, DEFAULT_MAIL_LIMITS).map((line) => line.text);

describe.each(LOCALES)("agents' notifications in %s", (locale) => {
  const words = agentNoticeWords(locale);

  it.each([
    'agent-new-ticket',
    'agent-customer-reply',
    'agent-relay-refused',
    'agent-sla-alert',
    'escalation',
    'agent-held-follow-ups',
  ] as const)('%s starts with the reply marker line, then says it is internal, in text and HTML', (kind) => {
    const { text, html } = renderer.render(kind, locale, sampleContext(kind, locale));

    expect(text.split('\n').slice(0, 2)).toEqual([replyMarkerLine(words), words.banner]);
    expect(htmlLines(html)[0]).toBe(replyMarkerLine(words));
    expect(htmlLines(html)).toContain(words.banner);
  });

  it('agent-unauthenticated-staff says it is internal and has no marker: replying to it reaches no customer', () => {
    const { text, html } = renderer.render(
      'agent-unauthenticated-staff',
      locale,
      sampleContext('agent-unauthenticated-staff', locale),
    );

    expect(text.split('\n')[0]).toBe(words.banner);
    expect(text).not.toContain(words.replyMarker);
    expect(html).not.toContain(words.replyMarker);
    expect(htmlLines(html)).toContain(words.banner);
  });

  // The extraction of agents' replies looks for these lines; a template that words them otherwise would slip past it.
  it('print the section headings and fact labels agent-reply extraction knows, at the start of lines', () => {
    const rendered = (
      ['agent-new-ticket', 'agent-customer-reply', 'agent-sla-alert', 'escalation', 'agent-held-follow-ups'] as const
    ).map((kind) => renderer.render(kind, locale, sampleContext(kind, locale)));
    const textLines = rendered.flatMap(({ text }) => text.split('\n'));
    const shownLines = rendered.flatMap(({ html }) => htmlLines(html));
    const startsALine = (lines: readonly string[], label: string) =>
      lines.some((line) => line.startsWith(`${label}:`) || line === label);

    for (const label of [words.responseStrategy, ...words.listHeadings, ...words.factLabels]) {
      expect(startsALine(textLines, label), `text: ${label}`).toBe(true);
      expect(startsALine(shownLines, label), `HTML: ${label}`).toBe(true);
    }
  });

  it('list the participants not added to the ticket, each with its reason', () => {
    const { text, html } = renderer.render('agent-new-ticket', locale, sampleContext('agent-new-ticket', locale));

    expect(text).toContain(`${words.listHeadings[1]}:\n  - eve@elsewhere.example: `);
    expect(html).toContain('data-section="declined-participants"');
    expect(htmlLines(html)).toContain(`${words.listHeadings[1]}:`);
  });
});

describe("agents' notifications", () => {
  it.each(AGENT_NOTIFICATION_KINDS)(
    '%s cannot be rendered without its marker and banner (strict templates)',
    (kind) => {
      const { agentNotice: _omitted, ...withoutNotice } = sampleContext(kind);
      let caught: unknown;
      try {
        renderer.render(kind, 'en', withoutNotice);
      } catch (error) {
        caught = error;
      }

      expect(isAtendeError(caught, 'templates.renderFailed')).toBe(true);
    },
  );

  it('say nothing about participants when none were declined', () => {
    const context = { ...sampleContext('agent-customer-reply'), declinedParticipants: [] };
    const { declinedParticipants: _omitted, ...withoutList } = context;

    for (const rendered of [
      renderer.render('agent-customer-reply', 'en', context),
      renderer.render('agent-new-ticket', 'en', withoutList),
    ]) {
      expect(rendered.text).not.toContain('Not added to the ticket');
      expect(rendered.html).not.toContain('data-section="declined-participants"');
    }
  });

  it('name each reason a participant was not added', () => {
    const context: NotificationContext = {
      ...sampleContext('agent-new-ticket'),
      declinedParticipants: [
        { address: 'a@x.example', reason: 'limit' },
        { address: 'b@x.example', reason: 'unmailable' },
        { address: 'c@x.example', reason: 'unauthenticated' },
        { address: 'servicedesk@example.com', reason: 'own-address' },
      ],
    };

    expect(renderer.render('agent-new-ticket', 'en', context).text).toContain(
      [
        'Not added to the ticket:',
        "  - a@x.example: over the policy's participant limit",
        '  - b@x.example: an address we cannot send mail to',
        '  - c@x.example: the mail that named it failed sender authentication',
        '  - servicedesk@example.com: one of our own addresses',
      ].join('\n'),
    );
  });
});

describe('the refused-relay notice', () => {
  const refused = (reason: 'internal-notice' | 'no-new-text', locale = 'en') =>
    renderer.render('agent-relay-refused', locale, {
      ...sampleContext('agent-relay-refused', locale),
      relayRefusal: {
        reason,
        at: '2026-11-24T14:10:00.000Z',
        problems: [],
        commands: sampleCommandHelp(locale),
      },
    });

  it('says the reply was not sent, for which ticket, and when the agent wrote', () => {
    const { subject, text } = refused('internal-notice');

    expect(subject).toBe('Not sent to the customer: [Atende #1042] Printer offline since Monday');
    expect(text).toContain('Your reply to ticket #1042 was NOT sent to the customer.');
    expect(text).toContain('Your e-mail: Tuesday, November 24, 2026 at 9:10 AM EST');
  });

  it('explains each reason with what to do instead', () => {
    expect(refused('internal-notice').text).toContain('It still contains an internal notification');
    expect(refused('no-new-text').text).toContain('Nothing was written above the reply marker line.');
    expect(refused('no-new-text', 'es').text).toContain('No se escribió nada encima de la línea marcadora.');
  });
});

describe('the unauthenticated-staff notice', () => {
  const notice = (verdicts: { spf: string | null; dkim: string | null; dmarc: string | null }) =>
    renderer.render('agent-unauthenticated-staff', 'en', {
      ...sampleContext('agent-unauthenticated-staff'),
      unauthenticatedStaff: { from: 'joao@example.com', fromName: null, at: '2026-11-24T14:10:00.000Z', verdicts },
    });

  it('names the staff address, shows the verdicts as codes, and says nothing was relayed or changed', () => {
    const { subject, text } = notice({ spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' });

    expect(subject).toBe('Unauthenticated mail from a staff address: [Atende #1042] Printer offline since Monday');
    expect(text).toContain('claims to come from the staff address joao@example.com failed sender authentication');
    expect(text).toContain('SPF:      FAIL\nDKIM:     FAIL\nDMARC:    FAIL');
    expect(text).toContain('It was kept on ticket #1042');
    expect(text).toContain('Nothing was relayed to the customer and nothing on the ticket changed.');
  });

  it('says when a verdict was not given at all (mail over SMTP without AUTH)', () => {
    expect(notice({ spf: null, dkim: null, dmarc: null }).text).toContain('SPF:      none given');
  });
});

describe("hostile text in agents' notifications", () => {
  const hostile: NotificationContext = {
    ...baseContext,
    ticket: {
      ...baseContext.ticket,
      subject: 'Help <script>alert(1)</script>',
      taggedSubject: '[Atende #1042] Help <script>alert(1)</script>',
      requesterName: '<img src=x onerror=alert(1)>',
    },
    agentNotice: agentNoticeFor('en'),
    declinedParticipants: [{ address: '"<b>x</b>"@evil.example', reason: 'unmailable' }],
    relayRefusal: {
      reason: 'commands-not-understood',
      at: '2026-11-24T14:10:00.000Z',
      problems: [{ ...sampleProblems[0]!, command: '#<b>x</b>', suggestion: '<i>y</i>' }],
      commands: sampleCommandHelp('en'),
    },
    commandsApplied: {
      changes: [{ field: 'assignee', from: null, to: '<b>x</b>@example.com', changed: true }],
      resolutionSent: false,
      at: '2026-11-24T14:10:00.000Z',
    },
    attachments: {
      attached: [{ filename: '<b>x</b>.png', contentType: 'image/png', size: 10 }],
      withheld: [{ filename: '<script>x</script>.exe', contentType: '<i>João</i>', size: 10, reason: 'dangerous' }],
    },
    attachmentsWithheld: { at: '2026-11-24T14:10:00.000Z' },
    unauthenticatedStaff: {
      from: 'joao@example.com',
      fromName: '<i>João</i>',
      at: '2026-11-24T14:10:00.000Z',
      verdicts: { spf: '<script>x</script>', dkim: 'FAIL', dmarc: null },
    },
    slaAlert: { ...sampleAlert, stage: 'escalation', level: 1, targetText: '<u>4h</u>' },
    escalationContacts: [{ name: '<b>x</b> Boss', role: '<i>João</i>', address: 'boss@example.com' }],
    recentMessages: [
      {
        direction: 'inbound',
        from: '"<b>x</b>"@evil.example',
        at: '2026-11-24T13:00:00.000Z',
        text: '<script>steal()</script>',
        cut: false,
      },
    ],
    heldFollowUps: {
      quoted: [
        {
          sequence: 2,
          author: 'requester',
          from: '"<b>x</b>"@evil.example',
          at: '2026-11-24T13:00:00.000Z',
          text: '<script>steal()</script>',
          cut: false,
        },
      ],
      notQuoted: 0,
    },
  };

  it.each(AGENT_NOTIFICATION_KINDS)('is escaped in the HTML of %s, never turned into markup', (kind) => {
    const { html } = renderer.render(kind, 'en', hostile);

    expect(html).not.toMatch(/<script>|<img|<b>x|<i>João|<u>4h/);
    expect(html).toContain('Help &lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('the SLA alert to agents', () => {
  const alert = (slaAlert: Partial<typeof sampleAlert>, locale = 'en') =>
    renderer.render('agent-sla-alert', locale, {
      ...sampleContext('agent-sla-alert', locale),
      slaAlert: { ...sampleAlert, ...slaAlert },
    });

  it("warns with the share of the target's time gone and the due time in the queue's zone", () => {
    const { subject, text } = alert({});

    expect(subject).toBe('SLA warning (first response): [Atende #1042] Printer offline since Monday');
    expect(text).toContain(
      '75% of the time for the first response of ticket #1042 has passed; it is due at Tuesday, November 24, 2026 at 9:00 AM EST.',
    );
    expect(text).toContain('Business time: 3 hr of 4 hr elapsed');
    expect(text).toContain('Target:        first response (4h)');
    expect(text).toContain('Response strategy: Call the customer at once');
  });

  it('rounds the share down: a warning never claims more time gone than has', () => {
    expect(alert({ elapsedBusinessMinutes: 179 }).text).toContain('74% of the time');
    expect(alert({ elapsedBusinessMinutes: 179 }).text).toContain('2 hr 59 min of 4 hr elapsed');
  });

  it('says a breach with no escalation set is breached, and names the resolution target', () => {
    const { subject, text } = alert({ stage: 'breach', target: 'resolution', elapsedBusinessMinutes: 480 });

    expect(subject).toBe('SLA breached (resolution): [Atende #1042] Printer offline since Monday');
    expect(text).toContain('Ticket #1042 has breached its resolution target');
    expect(text).not.toContain('has passed');
  });

  it('shows business time and shares in the words of each language', () => {
    // German writes a (non-breaking) space before the percent sign.
    expect(alert({}, 'de').text).toMatch(/75\s% der Zeit für das Ziel „Erste Antwort“/u);
    expect(alert({ elapsedBusinessMinutes: 45 }, 'ru').text).toContain('прошло 45 мин из 4 ч');
    expect(alert({ elapsedBusinessMinutes: 200 }, 'es').text).toContain('transcurridos 3 h 20 min de 4 h');
  });
});

describe('the escalation', () => {
  const escalation = (extra: Partial<NotificationContext> = {}, locale = 'en') =>
    renderer.render('escalation', locale, { ...sampleContext('escalation', locale), ...extra });

  it('names the level and the breached target, with due and elapsed business time', () => {
    const { subject, text } = escalation();

    expect(subject).toBe('Escalation level 2 (first response): [Atende #1042] Printer offline since Monday');
    expect(text).toContain('Escalation level 2: ticket #1042 has breached its first response target.');
    expect(text).toContain('Due:           Tuesday, November 24, 2026 at 9:00 AM EST');
    expect(text).toContain('Business time: 6 hr 15 min of 4 hr elapsed');
    expect(text).toContain('Requester: Ana Souza <ana.souza@cliente.example>');
    expect(text).toContain('Plan:      premium');
  });

  it('quotes the last messages, oldest first, marking a cut one, and lists the contacts of the level', () => {
    const { text, html } = escalation();

    const first = text.indexOf('the printer in room 4 is offline since Monday.');
    const last = text.indexOf('Any news? The whole floor cannot print. […]');
    expect(first).toBeGreaterThan(0);
    expect(last).toBeGreaterThan(first);
    expect(text).toContain(
      '  - Marta Ruiz, Service Manager <service-manager@example.com>\n  - Olaf Berg, Fulfillment Manager',
    );
    expect(html).toContain('data-section="recent-messages"');
    expect(html).toContain('Marta Ruiz, Service Manager &lt;service-manager@example.com&gt;');
  });

  it('says how to act: a reply goes to the queue, is relayed and counts as the answer, tag kept', () => {
    expect(escalation().text).toContain(
      'Your reply goes to the servicedesk queue, is relayed to the customer and counts as the answer. Please keep [Atende #1042] in the subject.',
    );
  });

  it('leaves the messages out when there are none', () => {
    const { text, html } = escalation({ recentMessages: [] });

    expect(text).not.toContain('The last messages');
    expect(html).not.toContain('data-section="recent-messages"');
  });
});

describe("the held follow-ups' mail", () => {
  it('quotes each follow-up with its sender and time, oldest first, marks a cut one and counts the rest', () => {
    const { subject, text, html } = renderer.render(
      'agent-held-follow-ups',
      'en',
      sampleContext('agent-held-follow-ups', 'en'),
    );

    expect(subject).toBe('Customer follow-ups: [Atende #1042] Printer offline since Monday');
    expect(text).toContain('Status:   Resolved');
    expect(text).toContain(
      [
        'Held follow-ups:',
        '----------------------------------------------------------------------',
        'ana.souza@cliente.example, Tuesday, November 24, 2026 at 8:10 AM EST:',
        '',
        'Any news? The whole floor cannot print.',
        '----------------------------------------------------------------------',
        'rui@cliente.example, Tuesday, November 24, 2026 at 8:25 AM EST:',
        '',
        'The printer in room 5 stopped too. […]',
      ].join('\n'),
    );
    expect(text).toContain('2 more are kept on the ticket.');
    expect(html).toContain('data-section="held-follow-ups"');
  });

  it.each(LOCALES)('says nothing of more follow-ups in %s when every one is quoted', (locale) => {
    const context = sampleContext('agent-held-follow-ups', locale);
    const all = { ...context, heldFollowUps: { ...context.heldFollowUps!, notQuoted: 0 } };

    expect(renderer.render('agent-held-follow-ups', locale, all).text).not.toMatch(/\b0\b/);
    expect(renderer.render('agent-held-follow-ups', locale, context).text).toMatch(/\b2\b/);
  });
});
