import { describe, expect, it } from 'vitest';
import { bodyOf, formPost, httpRequest, statusPageFixture } from '../../support/status-page-fixture.ts';

const DAY = 24 * 3_600_000;

describe('the ticket status page', () => {
  it("shows the ticket's number, subject, status as the policy names it, and the conversation", async () => {
    const { route, link, number } = await statusPageFixture();

    const response = await route(httpRequest('GET', link));
    const html = bodyOf(response);

    expect(response?.status).toBe(200);
    expect(html).toContain(`<dd id="ticket-number">${number}</dd>`);
    expect(html).toContain('<dd id="ticket-subject">Invoice missing</dd>');
    expect(html).toContain('<dd id="ticket-status">Received</dd>');
    expect(html).toContain('Where is my invoice for March?');
    expect(html).toContain('id="ticket-due"');
  });

  it('sends a strict Content-Security-Policy, no caching, no referrer and no sniffing', async () => {
    const { route, link } = await statusPageFixture();

    const response = await route(httpRequest('GET', link));

    expect(response?.headers).toMatchObject({
      'content-security-policy': expect.stringContaining("default-src 'none'"),
      'cache-control': 'no-store',
      'referrer-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
    });
    const csp = response?.headers['content-security-policy'] ?? '';
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    expect(bodyOf(response)).not.toMatch(/<script|style="/i);
  });

  it('escapes a hostile subject and message: they are shown as text', async () => {
    const { route, link } = await statusPageFixture({
      subject: '<script>alert(1)</script> help',
      text: 'Hi <img src=x onerror=alert(2)> and "quotes" & <b>bold</b>, my invoice is missing.',
    });

    const html = bodyOf(await route(httpRequest('GET', link)));

    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; help');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
  });

  it("never shows an internal note or the agents' notifications", async () => {
    const { route, link, agentAnswers, sentTo } = await statusPageFixture();
    await agentAnswers('Internal: the customer is on the unpaid list, do not promise a credit.');
    await agentAnswers('We have sent the invoice again; please check your spam folder.');
    const notice = sentTo('servicedesk-agents@example.com')[0]!;

    const html = bodyOf(await route(httpRequest('GET', link)));

    expect(html).toContain('We have sent the invoice again');
    expect(html).not.toContain('unpaid list');
    expect(html).not.toContain(notice.subject.replace(/^.*\] /, 'New ticket'));
    for (const line of ['Call the customer at once', 'Response strategy', 'reply above this line'])
      expect(html).not.toContain(line);
  });

  it('adds the reply as the requester wrote it and sends the browser back to the page', async () => {
    const { route, link, store, number, sentTo, clock } = await statusPageFixture();
    // Past the default policy's follow-up throttle (40m), so the agents hear of it at once, as by mail.
    clock.set(clock.now() + 3_600_000);
    const agentMailBefore = sentTo('servicedesk-agents@example.com').length;

    const response = await route(formPost(`${link}/reply`, { message: 'I found it, but the amount is wrong.' }));

    expect(response?.status).toBe(303);
    expect(response?.headers['location']).toBe(`${link}?done=replied`);
    const messages = await store.listMessages(number);
    expect(messages.filter((message) => message.direction === 'inbound').at(-1)).toMatchObject({
      purpose: 'customer-message',
      from: 'ana@customer.example',
      text: 'I found it, but the amount is wrong.',
    });
    expect(sentTo('servicedesk-agents@example.com').length).toBeGreaterThan(agentMailBefore);
    const page = bodyOf(await route(httpRequest('GET', response!.headers['location']!)));
    expect(page).toContain('id="notice"');
    expect(page).toContain('I found it, but the amount is wrong.');
  });

  it('adds one message when the same reply is posted twice', async () => {
    const { route, link, store, number } = await statusPageFixture();
    const before = (await store.listMessages(number)).length;
    const post = () => route(formPost(`${link}/reply`, { message: 'Same words twice.' }));

    await Promise.all([post(), post()]);

    const added = (await store.listMessages(number)).slice(before).filter((m) => m.purpose === 'customer-message');
    expect(added).toHaveLength(1);
  });

  it('refuses an empty reply with the error next to the field, and adds nothing', async () => {
    const { route, link, store, number } = await statusPageFixture();
    const before = (await store.listMessages(number)).length;

    const response = await route(formPost(`${link}/reply`, { message: '   ' }));

    expect(response?.status).toBe(400);
    expect(bodyOf(response)).toContain('id="message-error"');
    expect(await store.listMessages(number)).toHaveLength(before);
  });

  it('closes the ticket with "close my ticket"', async () => {
    const { route, link, store, number } = await statusPageFixture();

    const response = await route(formPost(`${link}/close`, {}));

    expect(response?.status).toBe(303);
    expect((await store.getTicket(number))?.status).toBe('closed');
    const page = bodyOf(await route(httpRequest('GET', `${link}?done=closed`)));
    expect(page).not.toContain('id="close-ticket"');
  });

  it('shows an error page, and nothing of the ticket, for a tampered link', async () => {
    const { route, link } = await statusPageFixture();
    const tampered = link.replace(/\.(\d+)\./, (_all, expiry: string) => `.${Number(expiry) + 1}.`);

    const response = await route(httpRequest('GET', tampered));
    const html = bodyOf(response);

    expect(response?.status).toBe(400);
    expect(html).toContain('id="problem"');
    expect(html).not.toContain('Invoice missing');
    expect(html).not.toContain('Where is my invoice');
  });

  it('refuses a reply and a close through a tampered link', async () => {
    const { route, link, store, number } = await statusPageFixture();
    const other = link.replace(`/t/${number}.`, `/t/${number + 1}.`);
    const before = await store.getTicket(number);

    expect((await route(formPost(`${other}/reply`, { message: 'x' })))?.status).toBe(400);
    expect((await route(formPost(`${other}/close`, {})))?.status).toBe(400);
    expect(await store.getTicket(number)).toEqual(before);
  });

  it('shows an expired page once the link is older than statusPage.linkValidFor', async () => {
    const { route, link, clock } = await statusPageFixture();
    clock.set(clock.now() + 91 * DAY);

    const response = await route(httpRequest('GET', link));

    expect(response?.status).toBe(410);
    expect(bodyOf(response)).not.toContain('Invoice missing');
  });

  it('leaves other paths to other routes', async () => {
    const { route } = await statusPageFixture();

    expect(await route(httpRequest('GET', '/tickets'))).toBeNull();
    expect(await route(httpRequest('GET', '/t/a/b/c'))).toBeNull();
  });
});
