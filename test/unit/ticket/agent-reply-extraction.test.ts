import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HandlebarsNotificationRenderer } from '../../../lib/adapters/templates/handlebars-notification-renderer.ts';
import { AGENT_NOTIFICATION_KINDS } from '../../../lib/application/ports/notification-renderer.ts';
import { parseInboundMail } from '../../../lib/domain/mail/parse-inbound-mail.ts';
import { AGENT_NOTICE_WORDS, replyMarkerLine } from '../../../lib/domain/ticket/agent-notice-markers.ts';
import { type AgentReplyMail, extractAgentReply } from '../../../lib/domain/ticket/agent-reply-extraction.ts';
import { sampleContext } from '../templates/notification-samples.ts';

const fixture = (name: string) =>
  parseInboundMail(readFileSync(new URL(`../../fixtures/mail/agent-replies/${name}.eml`, import.meta.url)));

const plain = (text: string): AgentReplyMail => ({ text, html: null, textSource: 'plain' });
const htmlOnly = (html: string): AgentReplyMail => ({ text: '', html, textSource: 'html' });

const EN_REPLY =
  'Hi Ana,\n\nwe restarted the print server; it should be back now. Could you print a test page?\n\nJoão Lima\nServicedesk';
const ES_REPLY =
  'Hola Carla:\n\nya hemos restablecido su acceso al panel. ¿Puede intentarlo de nuevo?\n\nSaludos,\nMarta Ruiz';

const en = AGENT_NOTICE_WORDS['en']!;
const EN_MARKER = replyMarkerLine(en);
/** What an old notification (sent before the marker existed) looks like, quoted. */
const LEGACY_NOTICE =
  'New ticket #1042 in the servicedesk queue.\nSubject: Printer offline\nPlan: premium\nStatus: Received\nPriority: critical\n\nResponse strategy: Call the customer at once.';
const LEGACY_NOTICE_HTML =
  '<p>New ticket #1042 in the servicedesk queue.</p><table><tr><th>Subject</th><td>Printer offline</td></tr><tr><th>Plan</th><td>premium</td></tr><tr><th>Response strategy</th><td>Call the customer at once.</td></tr></table>';

describe('an agent reply from each mail client (fixtures under test/fixtures/mail/agent-replies)', () => {
  it.each([
    ['gmail', EN_REPLY],
    ['outlook-desktop', EN_REPLY],
    ['thunderbird', EN_REPLY],
    ['apple-mail', EN_REPLY],
    ['spanish', ES_REPLY],
    ['plain-top-posting', EN_REPLY],
  ])('%s: relays the words above the reply marker, from the text part and from the HTML alike', async (name, words) => {
    const mail = await fixture(name);

    expect(extractAgentReply(mail)).toEqual({ outcome: 'reply', text: words, source: 'plain', cutAt: 'reply-marker' });
    if (mail.html !== null) {
      expect(extractAgentReply({ ...mail, textSource: 'html' })).toEqual({
        outcome: 'reply',
        text: words,
        source: 'html',
        cutAt: 'reply-marker',
      });
    }
  });

  // Used to be relayed without the agent's words and with the notification (plan, response strategy, flags).
  it('outlook-nested-document: an HTML-only reply quoting the notification as a whole <html> document gives only the agent’s words', async () => {
    const mail = await fixture('outlook-nested-document');

    expect(mail.textSource).toBe('html');
    expect(extractAgentReply(mail)).toEqual({
      outcome: 'reply',
      text: EN_REPLY,
      source: 'html',
      cutAt: 'reply-marker',
    });
  });

  // Used to be relayed whole.
  it('forwarded-notification: an inline forwarded notification is refused as an internal notice, text and HTML', async () => {
    const mail = await fixture('forwarded-notification');

    expect(extractAgentReply(mail)).toEqual({ outcome: 'refused', reason: 'internal-notice', source: 'plain' });
    expect(extractAgentReply({ ...mail, textSource: 'html' })).toEqual({
      outcome: 'refused',
      reason: 'internal-notice',
      source: 'html',
    });
  });

  it('plain-bottom-posting: an answer written below the quoted marker is refused, as the marker asks', async () => {
    expect(extractAgentReply(await fixture('plain-bottom-posting'))).toEqual({
      outcome: 'refused',
      reason: 'no-new-text',
      source: 'plain',
    });
  });
});

describe('the reply marker', () => {
  it.each(Object.entries(AGENT_NOTICE_WORDS))('cuts at the %s marker, quoted or not', (_locale, words) => {
    const marker = replyMarkerLine(words);

    expect(extractAgentReply(plain(`Done.\n\n> ${marker}\n> Internal text`))).toMatchObject({ text: 'Done.' });
    expect(extractAgentReply(plain(`Done.\n${marker}\nInternal text`))).toMatchObject({ text: 'Done.' });
  });

  it('is found when a mail client re-spaced it, quoted it twice or dropped its frame', () => {
    for (const marker of [
      '>> ##-  Please type  your reply above this line -##',
      '> > PLEASE TYPE YOUR REPLY ABOVE THIS LINE',
      '##- Please type your reply above this line -##',
    ]) {
      expect(extractAgentReply(plain(`Done.\n${marker}\nInternal text`))).toMatchObject({
        outcome: 'reply',
        text: 'Done.',
        cutAt: 'reply-marker',
      });
    }
  });

  it('keeps only what is above the first marker when a thread quotes several notifications', () => {
    const text = `Third answer.\n\n> ${EN_MARKER}\n> Second answer.\n> > ${EN_MARKER}\n> > First`;

    expect(extractAgentReply(plain(text))).toMatchObject({ text: 'Third answer.' });
  });

  it('refuses a reply with nothing above the marker (no-new-text)', () => {
    expect(extractAgentReply(plain(`${EN_MARKER}\nInternal notification…\n\nThanks, done.`))).toEqual({
      outcome: 'refused',
      reason: 'no-new-text',
      source: 'plain',
    });
    expect(extractAgentReply(htmlOnly(`<div><br></div><div>${EN_MARKER}</div><p>Internal</p>`))).toMatchObject({
      reason: 'no-new-text',
    });
  });

  it('refuses a marker under a forwarded-message line in any language it knows (internal-notice)', () => {
    const text = `Mira esto.\n\n---------- Mensaje reenviado ---------\nDe: Soporte\n\n${replyMarkerLine(AGENT_NOTICE_WORDS['es']!)}\nAviso`;

    expect(extractAgentReply(plain(text))).toMatchObject({ outcome: 'refused', reason: 'internal-notice' });
  });

  it('refuses a reply that pasted part of the notice above the marker (internal-notice)', () => {
    const text = `Calling now.\n\nResponse strategy: Call the customer at once.\n\n> ${EN_MARKER}`;

    expect(extractAgentReply(plain(text))).toMatchObject({ outcome: 'refused', reason: 'internal-notice' });
  });
});

describe('a reply to a notification without a marker (sent before markers existed)', () => {
  it('keeps the words above quoted plain-text history', () => {
    const text = `Done, thanks.\n\nOn Tue, Nov 24, 2026 at 9:10 AM Atende <servicedesk@example.com> wrote:\n${LEGACY_NOTICE.replace(/^/gm, '> ')}`;

    expect(extractAgentReply(plain(text))).toEqual({
      outcome: 'reply',
      text: 'Done, thanks.',
      source: 'plain',
      cutAt: 'quoted-history',
    });
  });

  it('says nothing was cut from a mail without history', () => {
    expect(extractAgentReply(plain('Done, thanks.\n\nJoão'))).toEqual({
      outcome: 'reply',
      text: 'Done, thanks.\n\nJoão',
      source: 'plain',
      cutAt: 'nothing',
    });
  });

  it.each([
    ['a <blockquote>', `<blockquote>${LEGACY_NOTICE_HTML}</blockquote>`],
    ['Apple Mail’s blockquote[type=cite]', `<blockquote type="cite">${LEGACY_NOTICE_HTML}</blockquote>`],
    [
      'Gmail’s div.gmail_quote',
      `<div class="gmail_quote"><div class="gmail_attr">On Tue wrote:</div><div>${LEGACY_NOTICE_HTML}</div></div>`,
    ],
    [
      'Thunderbird’s .moz-cite-prefix',
      `<div class="moz-cite-prefix">On 24/11/2026 15:10, Atende wrote:</div><blockquote type="cite">${LEGACY_NOTICE_HTML}</blockquote>`,
    ],
    ['Yahoo’s .yahoo_quoted', `<div class="yahoo_quoted" id="yahoo_quoted_123">${LEGACY_NOTICE_HTML}</div>`],
    [
      'Outlook’s #divRplyFwdMsg, with everything after it',
      `<div id="divRplyFwdMsg"><b>From:</b> Atende<br><b>Sent:</b> Tuesday</div><div>${LEGACY_NOTICE_HTML}</div>`,
    ],
    ['Outlook’s #appendonsend, with everything after it', `<div id="appendonsend"></div><hr>${LEGACY_NOTICE_HTML}`],
    [
      'a quoted nested <html> document',
      `<div><html><head><title>x</title></head><body>${LEGACY_NOTICE_HTML}</body></html></div>`,
    ],
    [
      'the "From: … Sent: …" block, with everything after it',
      `<div style="border-top:solid #E1E1E1 1.0pt"><p><b>From:</b> Atende &lt;servicedesk@example.com&gt;<br><b>Sent:</b> Tuesday<br><b>To:</b> agents@example.com<br><b>Subject:</b> New ticket</p></div><p>Anything below</p>${LEGACY_NOTICE_HTML}`,
    ],
  ])('removes %s from an HTML reply before reading it', (_container, quoted) => {
    const html = `<html><body><div>Done, thanks.</div><div><br></div>${quoted}</body></html>`;

    expect(extractAgentReply(htmlOnly(html))).toEqual({
      outcome: 'reply',
      text: 'Done, thanks.',
      source: 'html',
      cutAt: 'quoted-history',
    });
  });

  it('refuses a quoted notice the mail client did not mark as quoted (internal-notice)', () => {
    expect(extractAgentReply(plain(`Done, thanks.\n\n${LEGACY_NOTICE}`))).toMatchObject({ reason: 'internal-notice' });
    expect(extractAgentReply(htmlOnly(`<p>Done, thanks.</p>${LEGACY_NOTICE_HTML}`))).toMatchObject({
      reason: 'internal-notice',
    });
  });

  it('refuses a mail whose only text is quoted (no-new-text)', () => {
    expect(extractAgentReply(htmlOnly(`<blockquote>${LEGACY_NOTICE_HTML}</blockquote>`))).toMatchObject({
      reason: 'no-new-text',
    });
    expect(extractAgentReply(plain(''))).toMatchObject({ reason: 'no-new-text' });
  });
});

describe("every agents' notification the templates render", () => {
  let renderer: HandlebarsNotificationRenderer;
  beforeAll(async () => {
    renderer = await HandlebarsNotificationRenderer.load();
  });
  const rendered = (locale: string) =>
    AGENT_NOTIFICATION_KINDS.map((kind) => ({ kind, ...renderer.render(kind, locale, sampleContext(kind, locale)) }));

  it.each(Object.keys(AGENT_NOTICE_WORDS))('in %s, is never relayed, sent on as it is, text or HTML', (locale) => {
    for (const { kind, text, html } of rendered(locale)) {
      expect(extractAgentReply(plain(text)).outcome, kind).toBe('refused');
      expect(extractAgentReply(htmlOnly(html)).outcome, kind).toBe('refused');
    }
  });

  // Drift between templates and extraction: the lines of the notice itself must give it away, not only the marker.
  it.each(Object.keys(AGENT_NOTICE_WORDS))(
    'in %s, is refused as an internal notice even without its marker and banner',
    (locale) => {
      const words = AGENT_NOTICE_WORDS[locale]!;
      for (const { kind, text } of rendered(locale).filter(
        ({ kind }) => kind === 'agent-new-ticket' || kind === 'agent-customer-reply',
      )) {
        const stripped = text
          .split('\n')
          .filter((line) => line !== replyMarkerLine(words) && line !== words.banner)
          .join('\n');

        expect(extractAgentReply(plain(`Done.\n\n${stripped}`)), kind).toMatchObject({ reason: 'internal-notice' });
      }
    },
  );
});

describe('the text of an internal notice, wherever it is left', () => {
  it.each(Object.entries(AGENT_NOTICE_WORDS))(
    'refuses the %s banner, even wrapped over two lines',
    (_locale, words) => {
      const [first, ...rest] = words.banner.split(' ');

      expect(extractAgentReply(plain(`Done.\n${words.banner}`))).toMatchObject({ reason: 'internal-notice' });
      // Its final full stop once kept it from matching when more text followed.
      expect(extractAgentReply(plain(`Done.\n${words.banner}\n\nMore.`))).toMatchObject({ reason: 'internal-notice' });
      expect(extractAgentReply(plain(`Done.\n${first}\n${rest.join(' ')}`))).toMatchObject({
        reason: 'internal-notice',
      });
    },
  );

  it.each(Object.entries(AGENT_NOTICE_WORDS))('refuses the %s section headings', (_locale, words) => {
    expect(extractAgentReply(plain(`Done.\n\n${words.responseStrategy}: call`))).toMatchObject({
      reason: 'internal-notice',
    });
    for (const heading of words.listHeadings) {
      expect(extractAgentReply(plain(`Done.\n\n${heading}:\n  - item`))).toMatchObject({ reason: 'internal-notice' });
    }
  });

  it.each(Object.entries(AGENT_NOTICE_WORDS))(
    'refuses two fact labels of %s at the start of lines',
    (_locale, words) => {
      const [first, second] = words.factLabels;

      expect(extractAgentReply(plain(`Done.\n${first}: x\n${second}: y`))).toMatchObject({ reason: 'internal-notice' });
      expect(extractAgentReply(plain(`Done.\n${first}\nx\n${second}\ny`))).toMatchObject({ reason: 'internal-notice' });
    },
  );

  it('relays ordinary sentences that use a label or a heading’s words', () => {
    for (const text of [
      'Status: fixed on our side.\nPlease try again.',
      'Please look twice at the invoice number.',
      'Our response strategy is to call you first.',
    ]) {
      expect(extractAgentReply(plain(text))).toMatchObject({ outcome: 'reply', text });
    }
  });
});

describe('hostile agent mail', () => {
  const timed = <T>(act: () => T): { result: T; ms: number } => {
    const started = performance.now();
    const result = act();
    return { result, ms: performance.now() - started };
  };

  it('reads a 10 MB one-line HTML body within maxHtmlChars, in linear time', () => {
    const html = `<p>${'word '.repeat(2_000_000)}</p>`;

    const { result, ms } = timed(() =>
      extractAgentReply(htmlOnly(html), { maxHtmlChars: 5_000_000, maxHtmlDepth: 256 }),
    );

    expect(result.outcome).toBe('reply');
    expect(result.outcome === 'reply' ? result.text.length : 0).toBeLessThanOrEqual(5_000_000);
    expect(ms).toBeLessThan(2000);
  });

  it('reads 10 MB of small elements on one line in linear time', () => {
    const { result, ms } = timed(() => extractAgentReply(htmlOnly('<b>x</b>'.repeat(1_250_000))));

    expect(result.outcome).toBe('reply');
    expect(ms).toBeLessThan(2000);
  });

  it('reads HTML nested 100,000 deep as plain text, and still refuses the notice inside it', () => {
    const html = `${'<div>'.repeat(100_000)}Done.<br>${en.banner}`;

    const { result, ms } = timed(() => extractAgentReply(htmlOnly(html)));

    expect(result).toMatchObject({ outcome: 'refused', reason: 'internal-notice' });
    expect(ms).toBeLessThan(2000);
  });

  it('still cuts at the marker in HTML too deeply nested to read its structure', () => {
    const html = `${'<div>'.repeat(1_000)}Done.<br>${EN_MARKER}<br>${LEGACY_NOTICE}`;

    expect(extractAgentReply(htmlOnly(html))).toMatchObject({ outcome: 'reply', text: 'Done.', cutAt: 'reply-marker' });
  });

  it('reads 200 KB of text lines in linear time', () => {
    const { result, ms } = timed(() => extractAgentReply(plain('> a\nb\n'.repeat(33_000))));

    expect(result.outcome).toBe('reply');
    expect(ms).toBeLessThan(2000);
  });
});
