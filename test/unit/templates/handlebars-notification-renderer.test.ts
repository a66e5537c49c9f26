import { readdirSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_TEMPLATES_DIRECTORY,
  HandlebarsNotificationRenderer,
} from '../../../lib/adapters/templates/handlebars-notification-renderer.ts';
import { NOTIFICATION_KINDS, type NotificationContext } from '../../../lib/application/ports/notification-renderer.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import type { Policy } from '../../../lib/domain/policy/policy-schema.ts';
import { repositoryPath, shippedPolicy } from '../../support/policy-fixtures.ts';
import { agentNoticeFor, baseContext, sampleContext, sampleSurvey } from './notification-samples.ts';

const SHIPPED_POLICIES = [
  'default.yaml',
  ...readdirSync(repositoryPath('policy/examples'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => `examples/${name}`),
];
const LOCALES = ['en', 'es', 'pt-BR', 'de', 'ru'];

let renderer: HandlebarsNotificationRenderer;
beforeAll(async () => {
  renderer = await HandlebarsNotificationRenderer.load();
});

const expectAtendeError = (act: () => unknown, code: Parameters<typeof isAtendeError>[1]) => {
  let caught: unknown;
  try {
    act();
  } catch (error) {
    caught = error;
  }
  expect(isAtendeError(caught, code), `expected ${code}, got ${String(caught)}`).toBe(true);
};

/** The acknowledgement a policy's customer would get in `language`: status names, conduct rules and zone from the policy. */
const acknowledgementFor = (policy: Policy, language: string): NotificationContext => {
  const queue = policy.queues[0];
  if (queue === undefined) throw new Error('a policy has at least one queue');
  return {
    ...baseContext,
    brand: policy.brand,
    ticket: {
      ...baseContext.ticket,
      statusLabel: policy.statuses.new[language] ?? 'missing status label',
      queue: queue.name,
      queueAddress: queue.address,
    },
    sla: {
      firstResponseDue: '2026-11-24T14:00:00.000Z',
      resolutionDue: null,
      timeZone: policy.calendars[queue.calendar]?.timeZone ?? 'UTC',
    },
    conductRules: policy.conduct.rules[language] ?? [],
    maskedSecrets: ['api-key'],
  };
};

describe('the shipped templates', () => {
  it('ship the five languages the policies offer', () => {
    expect([...renderer.locales()].sort()).toEqual([...LOCALES].sort());
  });

  it.each(SHIPPED_POLICIES)('have a full set for every language %s offers, and render its acknowledgement', (file) => {
    const policy = shippedPolicy(file);
    for (const language of new Set([...policy.languages.offered, policy.languages.default])) {
      expect(renderer.locales()).toContain(language);
      const rendered = renderer.render('acknowledgement', language, acknowledgementFor(policy, language));
      expect(rendered.subject).toBe('[Atende #1042] Printer offline since Monday');
      for (const rule of policy.conduct.rules[language] ?? []) expect(rendered.text).toContain(rule);
    }
  });

  it.each(SHIPPED_POLICIES)('render every kind in every language %s offers, with its brand and zone', (file) => {
    const policy = shippedPolicy(file);
    for (const language of new Set([...policy.languages.offered, policy.languages.default])) {
      const { brand, ticket, sla } = acknowledgementFor(policy, language);
      for (const kind of NOTIFICATION_KINDS) {
        const rendered = renderer.render(kind, language, { ...sampleContext(kind, language), brand, ticket, sla });

        expect(rendered.text, `${language}/${kind}`).toContain(
          kind === 'suspended-notice' ? ticket.subject : String(ticket.number),
        );
        expect(rendered.html, `${language}/${kind}`).toContain(`<html lang="${language}">`);
      }
    }
  });

  describe.each(LOCALES)('in %s', (locale) => {
    it.each(NOTIFICATION_KINDS)(
      'render %s: a one-line subject, text naming the ticket, an HTML page in the language',
      (kind) => {
        const rendered = renderer.render(kind, locale, sampleContext(kind, locale));

        expect(rendered.subject.length).toBeGreaterThan(0);
        expect(rendered.subject).not.toMatch(/[\r\n]/);
        // The suspended-support notice quotes the subject; it opens no ticket for the customer to follow.
        expect(rendered.text).toContain(kind === 'suspended-notice' ? 'Printer offline since Monday' : '1042');
        expect(rendered.text).not.toMatch(/\{\{|\}\}|undefined|\[object Object\]/);
        expect(rendered.html).toMatch(/^<!DOCTYPE html>/);
        expect(rendered.html).toContain(`<html lang="${locale}">`);
        expect(rendered.html).not.toMatch(/\{\{|\}\}|undefined|\[object Object\]/);
      },
    );
  });
});

describe('customer text in a notification', () => {
  const hostile: NotificationContext = {
    ...baseContext,
    agentNotice: agentNoticeFor('en'),
    ticket: {
      ...baseContext.ticket,
      subject: 'Help <script>alert(1)</script> R&D "now"',
      taggedSubject: '[Atende #1042] Help <script>alert(1)</script> R&D "now"',
      requesterName: '<img src=x onerror=alert(1)>',
    },
    message: { ...baseContext.message!, text: 'Line one <b>bold?</b>\n<script>steal()</script> & more' },
  };

  it.each(['agent-new-ticket', 'agent-customer-reply'] as const)(
    'is escaped in the HTML of %s, never turned into markup',
    (kind) => {
      const { html } = renderer.render(kind, 'en', hostile);

      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img');
      expect(html).not.toContain('<b>bold?</b>');
      expect(html).toContain('&lt;script&gt;steal()&lt;/script&gt; &amp; more');
      expect(html).toContain('Help &lt;script&gt;alert(1)&lt;/script&gt; R&amp;D &quot;now&quot;');
    },
  );

  const NEW_KINDS = [
    'agent-sla-alert',
    'escalation',
    'waiting-reminder',
    'auto-close-notice',
    'resolution-summary',
  ] as const;

  it.each(NEW_KINDS)('is escaped in the HTML of %s in every language: subject, name, quoted text', (kind) => {
    for (const locale of LOCALES) {
      const sample = sampleContext(kind, locale);
      const context: NotificationContext = {
        ...sample,
        ticket: hostile.ticket,
        ...(sample.resolution ? { resolution: { ...sample.resolution, note: '<script>steal()</script> & more' } } : {}),
        ...(sample.recentMessages
          ? { recentMessages: [{ ...sample.recentMessages[0]!, text: '<script>steal()</script> & more' }] }
          : {}),
      };
      const { html } = renderer.render(kind, locale, context);

      expect(html, `${locale}/${kind}`).not.toMatch(/<script>|<img/);
      expect(html, `${locale}/${kind}`).toContain('Help &lt;script&gt;alert(1)&lt;/script&gt; R&amp;D &quot;now&quot;');
      if (kind === 'escalation' || kind === 'resolution-summary') {
        expect(html, `${locale}/${kind}`).toContain('&lt;script&gt;steal()&lt;/script&gt; &amp; more');
      }
    }
  });

  it('is kept verbatim in the text and subject, which are not HTML', () => {
    const { text, subject } = renderer.render('agent-new-ticket', 'en', hostile);

    expect(text).toContain('Line one <b>bold?</b>\n<script>steal()</script> & more');
    expect(text).toContain('Help <script>alert(1)</script> R&D "now"');
    expect(subject).toBe('New ticket (critical): [Atende #1042] Help <script>alert(1)</script> R&D "now"');
  });

  it('keeps the line breaks of a relayed reply in HTML as <br> and paragraphs', () => {
    const { html } = renderer.render('agent-reply-relay', 'en', sampleContext('agent-reply-relay'));

    expect(html).toContain('<p style="margin:0 0 12px;">Hi Ana,</p>');
    expect(html).toContain('we restarted the print server; it should be back.');
  });

  it('collapses a line break in a customer subject: a subject is one header line', () => {
    const context = {
      ...baseContext,
      ticket: {
        ...baseContext.ticket,
        subject: 'Hi\r\nBcc: victim@example.com',
        taggedSubject: '[Atende #1042] Hi\r\nBcc: victim@example.com',
      },
    };

    expect(renderer.render('acknowledgement', 'en', context).subject).toBe('[Atende #1042] Hi Bcc: victim@example.com');
    expect(renderer.render('suspended-notice', 'es', context).subject).toBe(
      'Soporte suspendido: Hi Bcc: victim@example.com',
    );
  });
});

describe('the acknowledgement', () => {
  const acknowledge = (extra: Partial<NotificationContext>, locale = 'en') =>
    renderer.render('acknowledgement', locale, { ...baseContext, ...extra });

  it('says nothing about secrets when none were masked', () => {
    for (const rendered of [acknowledge({}), acknowledge({ maskedSecrets: [] })]) {
      expect(rendered.text).not.toContain('A note on security');
      expect(rendered.html).not.toContain('data-section="masked-secrets"');
    }
  });

  it('names the kinds of secret it masked, why, and asks to rotate a real one', () => {
    const { text, html } = acknowledge({ maskedSecrets: ['api-key', 'card-number', 'api-key'] });

    expect(text).toContain('your message appeared to contain an API key and a card number.');
    expect(text).toContain('leaving only the first and last characters visible');
    expect(text).toContain('rotating the key');
    expect(html).toContain('data-section="masked-secrets"');
  });

  it("names secret kinds in the customer's language, and an unknown kind generically", () => {
    expect(acknowledge({ maskedSecrets: ['password', 'token'] }, 'pt-BR').text).toContain(
      'sua mensagem parecia conter uma senha e um token de acesso.',
    );
    expect(acknowledge({ maskedSecrets: ['api-key'] }, 'de').text).toContain(
      'Ihre Nachricht enthielt offenbar einen API-Schlüssel.',
    );
    expect(acknowledge({ maskedSecrets: ['ssh-key'] }, 'es').text).toContain(
      'su mensaje parecía contener un dato confidencial.',
    );
  });

  it('cites the conduct rules only when given', () => {
    const rules = ['One ticket per issue.', 'Leave 40 minutes between follow-ups.'];

    expect(acknowledge({}).html).not.toContain('data-section="conduct"');
    expect(acknowledge({ conductRules: [] }).text).not.toContain('support guidelines');
    const cited = acknowledge({ conductRules: rules });
    expect(cited.text).toContain(
      'please keep our support guidelines in mind:\n  - One ticket per issue.\n  - Leave 40 minutes between follow-ups.\n',
    );
    expect(cited.html).toContain('<li style="margin:0 0 4px;">Leave 40 minutes between follow-ups.</li>');
  });

  it('points at the original ticket when this one is a duplicate', () => {
    expect(acknowledge({ duplicateOf: 998 }).text).toContain('the same issue as ticket #998');
    expect(acknowledge({ duplicateOf: null }).text).not.toContain('the same issue');
  });

  it("shows the first-response due time in the queue's zone and the customer's language", () => {
    const due = '2026-11-24T14:00:00.000Z';

    expect(
      acknowledge({ sla: { firstResponseDue: due, resolutionDue: null, timeZone: 'America/Toronto' } }).text,
    ).toContain('reply by Tuesday, November 24, 2026 at 9:00 AM EST at the latest');
    expect(
      acknowledge({ sla: { firstResponseDue: due, resolutionDue: null, timeZone: 'America/Sao_Paulo' } }, 'pt-BR').text,
    ).toContain('terça-feira, 24 de novembro de 2026 às 11:00 BRT');
    expect(
      acknowledge({ sla: { firstResponseDue: due, resolutionDue: null, timeZone: 'Europe/Berlin' } }, 'de').text,
    ).toContain('spätestens am Dienstag, 24. November 2026 um 15:00 MEZ');
  });

  it('promises an answer as soon as possible when there is no due time', () => {
    const { sla: _omitted, ...withoutSla } = baseContext;

    expect(renderer.render('acknowledgement', 'en', withoutSla).text).toContain('reply as soon as possible');
    expect(acknowledge({ sla: { firstResponseDue: null, resolutionDue: null, timeZone: 'UTC' } }).text).toContain(
      'reply as soon as possible',
    );
  });

  it('tells how to add information: reply, keeping the tag in the subject', () => {
    expect(acknowledge({}).text).toContain(
      'Simply reply to this e-mail, with any details or attachments. Please keep [Atende #1042] in the subject line',
    );
  });
});

describe('agent notifications', () => {
  const agentContext: NotificationContext = { ...baseContext, agentNotice: agentNoticeFor('en') };

  it('show priority, response strategy, due times, flags and the message', () => {
    const { text } = renderer.render('agent-new-ticket', 'en', agentContext);

    expect(text).toContain('Requester: Ana Souza <ana.souza@cliente.example>');
    expect(text).toContain('Priority:  critical (Affects operations');
    expect(text).toContain('Response strategy: Call the customer at once');
    expect(text).toContain('First response due: Tuesday, November 24, 2026 at 9:00 AM EST');
    expect(text).toContain('  - written in capitals\n  - secrets masked in the stored copy');
    expect(text).toContain('the printer in room 4 is offline since Monday.\nCould you call me?');
  });

  it("fall back to the ticket's priority name and leave out what the context lacks", () => {
    const { priority: _p, flags: _f, sla: _s, ...bare } = agentContext;
    const { text } = renderer.render('agent-new-ticket', 'en', { ...bare, ticket: { ...bare.ticket, plan: null } });

    expect(text).toContain('Priority:  critical\n');
    expect(text).toContain('Plan:      none');
    expect(text).not.toContain('Response strategy');
    expect(text).not.toContain('due');
    expect(text).not.toContain('Look twice');
  });
});

describe("the requester's mail about a wait and a resolution", () => {
  const render = (kind: 'waiting-reminder' | 'auto-close-notice' | 'resolution-summary', extra = {}, locale = 'en') =>
    renderer.render(kind, locale, { ...sampleContext(kind, locale), ...extra });

  it('reminds since when the ticket waits and when it closes, unless the customer replies', () => {
    const { subject, text } = render('waiting-reminder');

    expect(subject).toBe('Waiting for your reply: [Atende #1042] Printer offline since Monday');
    expect(text).toContain('has been waiting for your reply since Tuesday, November 24, 2026 at 9:30 AM EST.');
    expect(text).toContain('Unless we hear from you, we will close it on Thursday, November 26, 2026 at 9:30 AM EST.');
    expect(text).toContain('simply reply to this e-mail and keep [Atende #1042] in the subject');
  });

  it('promises no closing date when none is set', () => {
    const waiting = { since: '2026-11-24T14:30:00.000Z', closesAt: null, reopenUntil: null };
    const { text, html } = render('waiting-reminder', { waiting });

    expect(text).not.toContain('close it');
    expect(html).not.toContain('data-section="closes"');
  });

  it('says why the ticket was closed, and that a reply before the window ends reopens it', () => {
    const { subject, text } = render('auto-close-notice');

    expect(subject).toBe('Ticket closed: [Atende #1042] Printer offline since Monday');
    expect(text).toContain('because we have not received an answer from you since Tuesday, November 24, 2026');
    expect(text).toContain('reply to this e-mail before Thursday, December 3, 2026 at 9:30 AM EST');
    expect(text).toContain('we will reopen the same ticket. A message after that opens a new ticket.');
  });

  it('tells the resolution and opening times, the note, and that a reply reopens the ticket', () => {
    const { subject, text, html } = render('resolution-summary');

    expect(subject).toBe('Resolved: [Atende #1042] Printer offline since Monday');
    expect(text).toContain('was resolved on Tuesday, November 24, 2026 at 11:45 AM EST. You opened it on Tuesday');
    expect(text).toContain('We replaced the network card of the printer.\nIt prints again.');
    expect(html).toContain('We replaced the network card of the printer.<br>');
    expect(text).toContain(
      'simply reply to this e-mail and keep [Atende #1042] in the subject: we will reopen the ticket.',
    );
  });

  it('leaves the note out when the agent wrote none', () => {
    const resolution = { openedAt: '2026-11-24T13:00:00.000Z', resolvedAt: '2026-11-24T16:45:00.000Z', note: null };
    const { text, html } = render('resolution-summary', { resolution });

    expect(text).not.toContain('A note from our team');
    expect(html).not.toContain('data-section="resolution-note"');
  });

  describe.each(['auto-close-notice', 'resolution-summary'] as const)('%s', (kind) => {
    it.each(LOCALES)('in %s shows the two survey links, and a comment can be left, only when given', (locale) => {
      const surveyed = render(kind, { survey: sampleSurvey }, locale);
      expect(surveyed.text).toContain(sampleSurvey.good);
      expect(surveyed.text).toContain(sampleSurvey.bad);
      expect(surveyed.html).toContain('data-section="survey"');
      expect(surveyed.html).toContain(`href="${sampleSurvey.good.replace('=', '&#x3D;')}"`);

      const { survey: _omitted, ...withoutSurvey } = sampleContext(kind, locale);
      for (const rendered of [render(kind, { survey: null }, locale), renderer.render(kind, locale, withoutSurvey)]) {
        expect(rendered.text).not.toContain('/survey/');
        expect(rendered.html).not.toContain('data-section="survey"');
      }
    });
  });

  it('names the comment on the survey page in English', () => {
    expect(render('resolution-summary', { survey: sampleSurvey }).text).toContain(
      'On the page that opens you can also leave us a comment',
    );
  });
});

describe('the suspended-support notice', () => {
  it("quotes the policy's notice when there is one", () => {
    const notice = 'En caso de incumplir cualquiera de las reglas, podremos suspender su soporte.';

    expect(renderer.render('suspended-notice', 'es', { ...baseContext, suspensionNotice: notice }).text).toContain(
      `Tal como indica nuestra política de soporte:\n\n    ${notice}`,
    );
    expect(renderer.render('suspended-notice', 'es', { ...baseContext, suspensionNotice: null }).text).not.toContain(
      'Tal como indica',
    );
  });
});

describe('rendering failures', () => {
  it("fails with templates.missing for a locale without templates: falling back is the caller's choice", () => {
    expectAtendeError(() => renderer.render('acknowledgement', 'fr', baseContext), 'templates.missing');
  });

  it("fails with templates.renderFailed when a kind's required field is absent (strict templates)", () => {
    const { message: _omitted, ...withoutMessage } = baseContext;

    expectAtendeError(() => renderer.render('agent-reply-relay', 'en', withoutMessage), 'templates.renderFailed');
  });

  it('fails with templates.renderFailed for a due time that is not an ISO instant', () => {
    expectAtendeError(
      () =>
        renderer.render('acknowledgement', 'en', {
          ...baseContext,
          sla: { firstResponseDue: 'tomorrow', resolutionDue: null, timeZone: 'UTC' },
        }),
      'templates.renderFailed',
    );
  });
});

describe('loading a templates folder', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'atende-templates-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const copyOf = async (name: string): Promise<string> => {
    const target = join(folder, name);
    await cp(DEFAULT_TEMPLATES_DIRECTORY, target, { recursive: true });
    return target;
  };

  const loadError = async (directory: string): Promise<unknown> =>
    HandlebarsNotificationRenderer.load(directory).then(
      () => undefined,
      (error: unknown) => error,
    );

  it('names every file a locale lacks (templates.missing)', async () => {
    const directory = await copyOf('incomplete');
    await rm(join(directory, 'de', 'agent-reply-relay.html.hbs'));
    await rm(join(directory, 'ru', 'labels.json'));

    const error = await loadError(directory);

    expect(isAtendeError(error, 'templates.missing')).toBe(true);
    expect(isAtendeError(error) && error.details['missing']).toEqual([
      'de/agent-reply-relay.html.hbs',
      'ru/labels.json',
    ]);
  });

  it('refuses a template that does not parse (templates.invalid), at load rather than at the first send', async () => {
    const directory = await copyOf('broken');
    await writeFile(join(directory, 'es', 'acknowledgement.text.hbs'), 'Hola {{#if ticket.requesterName}}');

    expect(isAtendeError(await loadError(directory), 'templates.invalid')).toBe(true);
  });

  it('parsing on first use (the Lambdas), renders what parses and refuses the broken template when it is rendered', async () => {
    const directory = await copyOf('broken-later');
    await writeFile(join(directory, 'es', 'acknowledgement.text.hbs'), 'Hola {{#if ticket.requesterName}}');

    const lazy = await HandlebarsNotificationRenderer.load(directory, 'on-first-use');

    expect(lazy.render('acknowledgement', 'en', baseContext)).toEqual(
      renderer.render('acknowledgement', 'en', baseContext),
    );
    expectAtendeError(() => lazy.render('acknowledgement', 'es', baseContext), 'templates.invalid');
  });

  it('renders the acknowledgement in every locale the same whether parsed at load or on first use', async () => {
    const lazy = await HandlebarsNotificationRenderer.load(DEFAULT_TEMPLATES_DIRECTORY, 'on-first-use');

    expect(lazy.locales()).toEqual(renderer.locales());
    for (const locale of renderer.locales()) {
      expect(lazy.render('acknowledgement', locale, baseContext)).toEqual(
        renderer.render('acknowledgement', locale, baseContext),
      );
    }
  });

  it('refuses labels that break their schema (templates.invalid)', async () => {
    const directory = await copyOf('bad-labels');
    await writeFile(join(directory, 'en', 'labels.json'), JSON.stringify({ secretKinds: {}, flags: {} }));

    expect(isAtendeError(await loadError(directory), 'templates.invalid')).toBe(true);
  });

  it('fails with templates.missing for a folder that does not exist', async () => {
    expect(isAtendeError(await loadError(join(folder, 'nowhere')), 'templates.missing')).toBe(true);
  });
});
