import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAGE_STYLESHEET_PATH, pageContentSecurityPolicy } from '../../../lib/adapters/http/html-page.ts';
import { SURVEY_BODY_MAX_BYTES, surveyAnswerRoute } from '../../../lib/adapters/http/survey-answer-page.ts';
import { type LocalHttpServer, startLocalHttpServer } from '../../../lib/adapters/local/local-http-server.ts';
import { SurveyPage } from '../../../lib/adapters/templates/survey-page.ts';
import { SURVEY_TOKEN_LIFETIME_MS } from '../../../lib/domain/ticket/survey-token.ts';
import type { Ticket } from '../../../lib/domain/ticket/ticket.ts';
import { testTicketTables } from '../../support/dynamodb-test-table.ts';
import { surveyDeps } from '../../support/survey-fixtures.ts';

const tables = testTicketTables();
const page = await SurveyPage.load();
afterAll(() => tables.dropAll());

let server: LocalHttpServer;
let fixture: ReturnType<typeof surveyDeps>;
beforeEach(async () => {
  const { store } = await tables.create();
  fixture = surveyDeps({ store });
  server = await startLocalHttpServer({
    port: 0,
    checks: {},
    routes: [surveyAnswerRoute({ deps: fixture.deps, page })],
  });
});
afterEach(() => server.stop());

const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
const pathOf = (link: string) => `/survey/${fixture.tokenOf(link)}`;
const get = async (path: string) => {
  const response = await fetch(url(path));
  return { response, html: await response.text() };
};
const postComment = async (path: string, comment: string) => {
  const response = await fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ comment }).toString(),
  });
  return { response, html: await response.text() };
};
const storedTicket = async (ticket: Ticket) => (await fixture.store.getTicket(ticket.number))!;

describe('GET /survey/<token> on the local HTTP server (DynamoDB Local)', () => {
  it('records the rating and answers 200 with the thank-you page in the ticket’s language', async () => {
    const ticket = await fixture.resolvedTicket({ locale: 'pt-BR' });
    const links = fixture.surveyLinks.linksFor(ticket);

    const { response, html } = await get(pathOf(links.bad));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html).toContain('<html lang="pt-BR">');
    expect(html).toContain('Obrigado pela sua resposta');
    expect(html).toContain(`[Atende #${ticket.number}]`);
    expect(html).toContain('<strong>Ruim</strong>');
    expect(html).toContain(`<form method="post" action="${pathOf(links.bad)}">`);
    expect((await storedTicket(ticket)).satisfaction).toMatchObject({ rating: 'bad', comment: null });
  });

  it('sends the strict Content-Security-Policy of the other pages and links their stylesheet, with no inline style', async () => {
    const ticket = await fixture.resolvedTicket({ locale: 'en' });

    const { response, html } = await get(pathOf(fixture.surveyLinks.linksFor(ticket).good));

    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(pageContentSecurityPolicy());
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html).toContain(`<link rel="stylesheet" href="${PAGE_STYLESHEET_PATH}">`);
    expect(html).not.toMatch(/<style|style=|<script/i);
  });

  it('says the answer was already recorded (200) when a link is followed again, and keeps the first rating', async () => {
    const ticket = await fixture.resolvedTicket({ locale: 'es' });
    const links = fixture.surveyLinks.linksFor(ticket);
    await get(pathOf(links.good));

    const again = await get(pathOf(links.bad));
    const same = await get(pathOf(links.good));

    for (const { response, html } of [again, same]) {
      expect(response.status).toBe(200);
      expect(html).toContain('Su respuesta ya estaba registrada');
      expect(html).toContain('<strong>Buena</strong>');
    }
    expect((await storedTicket(ticket)).satisfaction).toMatchObject({ rating: 'good' });
  });

  it('adds a comment posted from the page once, shows it escaped, and offers no second form', async () => {
    const ticket = await fixture.resolvedTicket({ locale: 'en' });
    const path = pathOf(fixture.surveyLinks.linksFor(ticket).good);
    await get(path);

    const first = await postComment(path, 'Fast <b>and</b> kind & "clear"');
    const second = await postComment(path, 'overwritten?');

    expect(first.response.status).toBe(200);
    expect(first.html).toContain('Thank you for your comment');
    expect(first.html).toContain('Fast &lt;b&gt;and&lt;/b&gt; kind &amp; &quot;clear&quot;');
    expect(first.html).not.toContain('<form');
    expect(second.response.status).toBe(200);
    expect(second.html).toContain('Your answer was already recorded');
    expect((await storedTicket(ticket)).satisfaction).toMatchObject({
      rating: 'good',
      comment: 'Fast <b>and</b> kind & "clear"',
    });
  });

  it('escapes everything it shows from the ticket: a hostile subject adds no markup', async () => {
    const ticket = await fixture.resolvedTicket({
      locale: 'en',
      subject: '</title><script>alert(1)</script><img src=x onerror=alert(2)> & "q"',
    });

    const { html } = await get(pathOf(fixture.surveyLinks.linksFor(ticket).good));

    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<\/title>/g)).toHaveLength(1);
  });

  it('answers in the policy’s default language when the ticket’s language has no page words', async () => {
    const ticket = await fixture.resolvedTicket({ locale: 'fr' });

    const { html } = await get(pathOf(fixture.surveyLinks.linksFor(ticket).good));

    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Thank you for your answer');
  });

  it('answers 400 for a token it did not sign or cannot read, and records nothing', async () => {
    const ticket = await fixture.resolvedTicket();
    const token = fixture.tokenOf(fixture.surveyLinks.linksFor(ticket).good);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;

    for (const path of [`/survey/${tampered}`, '/survey/not-a-token', '/survey/', `/survey/${'A'.repeat(5000)}`]) {
      const { response, html } = await get(path);
      expect(response.status).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(html).toContain('This survey link is not valid');
    }
    expect((await storedTicket(ticket)).satisfaction).toBeNull();
  });

  it('answers 410 for a link older than 90 days, in the ticket’s language, and records nothing', async () => {
    const ticket = await fixture.resolvedTicket({ locale: 'es' });
    const path = pathOf(fixture.surveyLinks.linksFor(ticket).good);
    fixture.clock.advance(SURVEY_TOKEN_LIFETIME_MS + 60_000);

    const { response, html } = await get(path);

    expect(response.status).toBe(410);
    expect(html).toContain('Este enlace de la encuesta ha caducado');
    expect((await storedTicket(ticket)).satisfaction).toBeNull();
  });

  it('answers 404 for a signed link to a ticket that does not exist', async () => {
    const ticket = await fixture.resolvedTicket();

    const { response, html } = await get(pathOf(fixture.surveyLinks.linksFor({ ...ticket, number: 99_999 }).good));

    expect(response.status).toBe(404);
    expect(html).toContain('We cannot find this ticket');
  });

  it('answers 413 for a body over 16 KB, declared or sent in chunks, and records nothing', async () => {
    const ticket = await fixture.resolvedTicket();
    const path = pathOf(fixture.surveyLinks.linksFor(ticket).good);
    const big = `comment=${'a'.repeat(SURVEY_BODY_MAX_BYTES)}`;

    const declared = await fetch(url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: big,
    });
    const chunked = await postChunked(path, [big.slice(0, 10_000), big.slice(10_000)]);

    expect(declared.status).toBe(413);
    expect(await declared.text()).toContain('Your comment is too long');
    expect(chunked.status).toBe(413);
    expect((await storedTicket(ticket)).satisfaction).toBeNull();
  });

  it('takes a comment of up to 2,000 characters, percent-encoded, within the body limit', async () => {
    const ticket = await fixture.resolvedTicket();
    const path = pathOf(fixture.surveyLinks.linksFor(ticket).good);

    const { response } = await postComment(path, 'ç'.repeat(2_000));

    expect(response.status).toBe(200);
    expect((await storedTicket(ticket)).satisfaction!.comment).toBe('ç'.repeat(2_000));
  });

  it('refuses a POST that is not a form (415) and other methods (405), recording nothing', async () => {
    const ticket = await fixture.resolvedTicket();
    const path = pathOf(fixture.surveyLinks.linksFor(ticket).good);

    const json = await fetch(url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"comment":"x"}',
    });
    const put = await fetch(url(path), { method: 'PUT', body: 'comment=x' });

    expect(json.status).toBe(415);
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect((await storedTicket(ticket)).satisfaction).toBeNull();
  });
});

/** A form POST with no Content-Length (chunked transfer): the server has to count. */
function postChunked(path: string, chunks: readonly string[]): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url(path),
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0 });
      },
    );
    // The server may answer and close before the last chunk: that is the point.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}
