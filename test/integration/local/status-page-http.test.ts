import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pageStylesheetRoute } from '../../../lib/adapters/http/html-page.ts';
import { type LocalHttpServer, startLocalHttpServer } from '../../../lib/adapters/local/local-http-server.ts';
import { loadPageStylesheet } from '../../../lib/adapters/templates/page-template.ts';
import { testTicketTables } from '../../support/dynamodb-test-table.ts';
import { statusPageFixture } from '../../support/status-page-fixture.ts';

const tables = testTicketTables();
const css = await loadPageStylesheet();
afterAll(() => tables.dropAll());

let server: LocalHttpServer;
let fixture: Awaited<ReturnType<typeof statusPageFixture>>;
beforeEach(async () => {
  const { store } = await tables.create();
  fixture = await statusPageFixture({ store });
  server = await startLocalHttpServer({ port: 0, checks: {}, routes: [fixture.route, pageStylesheetRoute(css)] });
});
afterEach(() => server.stop());

const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
const post = (path: string, fields: Record<string, string>) =>
  fetch(url(path), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

describe('GET /t/<token> on the local HTTP server (DynamoDB Local)', () => {
  it('shows the page with its security headers and serves its stylesheet', async () => {
    const response = await fetch(url(fixture.link));
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('Invoice missing');
    const stylesheet = await fetch(url('/pages/page.css'));
    expect(stylesheet.headers.get('content-type')).toContain('text/css');
  });

  it('adds a reply posted from the page to the ticket', async () => {
    const response = await post(`${fixture.link}/reply`, { message: 'Here is the order number: 7781.' });

    expect(response.status).toBe(303);
    const texts = (await fixture.store.listMessages(fixture.number)).map((message) => message.text);
    expect(texts).toContain('Here is the order number: 7781.');
  });

  it('closes the ticket from the page', async () => {
    const response = await post(`${fixture.link}/close`, {});

    expect(response.status).toBe(303);
    expect((await fixture.store.getTicket(fixture.number))?.status).toBe('closed');
  });

  it('downloads a file of the conversation with the bytes stored and the download headers', async () => {
    const { store } = await tables.create();
    const pdf = Buffer.from('%PDF-1.7 the March invoice');
    const withFile = await statusPageFixture({
      store,
      attachments: [{ filename: 'relatório.pdf', contentType: 'application/pdf', content: pdf }],
    });
    await server.stop();
    server = await startLocalHttpServer({ port: 0, checks: {}, routes: [withFile.route] });

    const response = await fetch(url(`${withFile.link}/files/1/0`));

    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(pdf);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="relatorio.pdf"; filename*=UTF-8''relat%C3%B3rio.pdf`,
    );
    expect(response.headers.get('content-length')).toBe(String(pdf.length));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox/);
  });

  it('answers a tampered link with the error page', async () => {
    const response = await fetch(url(`${fixture.link.slice(0, -2)}xx`));

    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('Invoice missing');
  });
});
