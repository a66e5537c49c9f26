import { describe, expect, it } from 'vitest';
import { confirmationResponse, hostedFormRoute, prefersHtml } from '../../../lib/adapters/http/hosted-form.ts';
import type { HttpRequest, HttpResponse } from '../../../lib/adapters/http/http-exchange.ts';
import { ticketApiRoute } from '../../../lib/adapters/http/ticket-api.ts';
import { mimeComposer } from '../../../lib/adapters/mail/mime-composer.ts';
import { InMemoryRequestCounters } from '../../../lib/adapters/memory/in-memory-request-counters.ts';
import { InMemoryTicketStore } from '../../../lib/adapters/memory/in-memory-ticket-store.ts';
import { NumberedStatusLinks } from '../../../lib/adapters/memory/numbered-status-links.ts';
import { TicketFormPage } from '../../../lib/adapters/templates/ticket-form-page.ts';
import { pipeline } from '../../support/ingest-pipeline.ts';

import { type FormPart, INVOICE_PDF, multipartBody, textParts } from '../../support/multipart-body.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const ANA = { name: 'Ana', email: 'ana@example.org', subject: 'Fatura', message: 'Olá', locale: 'pt-BR', website: '' };

async function hostedForm(policyFile = 'default.yaml', options: Parameters<typeof pipeline>[1] = {}) {
  const run = pipeline(policyFile, options);
  const page = await TicketFormPage.load(run.policy);
  const form = hostedFormRoute({ page, policy: run.policy });
  const api = ticketApiRoute({
    deps: { ...run.deps, statusLinks: new NumberedStatusLinks('https://support.example.test'), composer: mimeComposer },
    counters: new InMemoryRequestCounters(),
    corsOrigins: ['https://support.example.test'],
    signatureSecret: null,
    form: page,
  });
  const open = async (query: string) => answered(await form(request('GET', '/form', query)));
  const postMultipart = async (parts: readonly FormPart[]) => {
    const { body, contentType } = multipartBody(parts);
    return answered(
      await api({
        ...request('POST', '/tickets', ''),
        headers: { 'content-type': contentType, accept: BROWSER_ACCEPT },
        body,
      }),
    );
  };
  const post = async (fields: Record<string, string>, accept = BROWSER_ACCEPT, headers: Record<string, string> = {}) =>
    answered(
      await api({
        ...request('POST', '/tickets', ''),
        headers: { 'content-type': FORM_TYPE, accept, ...headers },
        body: Buffer.from(typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(), 'utf8'),
      }),
    );
  return { ...run, open, post, postMultipart };
}

const request = (method: string, path: string, query: string): HttpRequest => ({
  method,
  path,
  query: new URLSearchParams(query),
  headers: {},
  body: Buffer.alloc(0),
  sourceIp: '198.51.100.7',
});

function answered(response: HttpResponse | null) {
  if (response === null) throw new Error('the route did not answer');
  return { ...response, html: response.body.toString() };
}

describe('the hosted form, GET /form', () => {
  it('shows the form in Portuguese with its labels, the hidden queue and language, and the honeypot', async () => {
    const { open } = await hostedForm();

    const { status, html } = await open('queue=servicedesk&lang=pt-BR');

    expect(status).toBe(200);
    expect(html).toContain('<html lang="pt-BR">');
    expect(html).toContain('<header class="brand">Atende Support</header>');
    expect(html).toContain('<form method="post" action="/tickets" enctype="multipart/form-data">');
    for (const [id, label] of [
      ['name', 'Seu nome'],
      ['email', 'Seu endereço de e-mail'],
      ['subject', 'Assunto'],
      ['message', 'Como podemos ajudar?'],
    ]) {
      expect(html).toContain(`<label for="${id}">${label}</label>`);
      expect(html).toMatch(new RegExp(`id="${id}" name="${id}"`));
    }
    expect(html).toContain('<input type="hidden" name="queue" value="servicedesk">');
    expect(html).toContain('<input type="hidden" name="locale" value="pt-BR">');
    expect(html).toContain('<div class="hidden-field">\n<label for="website">Deixe este campo vazio</label>');
    expect(html).toMatch(
      /<input id="website" name="website" type="text" value="" maxlength="200" autocomplete="off" tabindex="-1">/,
    );
    expect(html.match(/<button/g)).toHaveLength(1);
    expect(html).toContain('<button type="submit" id="submit-ticket">Enviar</button>');
  });

  it('offers an optional, labelled file input taking several files, with the limit next to it', async () => {
    const { open } = await hostedForm();

    const { html } = await open('lang=pt-BR');

    expect(html).toContain('<label for="attachments">Arquivos (opcional)</label>');
    expect(html).toContain(
      '<input id="attachments" name="attachments" type="file" multiple aria-describedby="attachments-hint">',
    );
    expect(html).toContain('<p class="hint" id="attachments-hint">Até 5 arquivos, 4 MB no total.');
    expect((await open('lang=es')).html).toContain('<label for="attachments">Archivos (opcional)</label>');
    expect((await open('lang=en')).html).toContain('<label for="attachments">Files (optional)</label>');
  });

  it('shows no file input where the policy takes no files', async () => {
    const { policy } = pipeline();
    const page = await TicketFormPage.load({ ...policy, attachments: { ...policy.attachments, webFormFiles: 0 } });

    const html = page.form({ action: '/tickets', stylesheet: '/pages/page.css', locale: 'en', queue: '' });

    expect(html).not.toContain('type="file"');
  });

  it('shows the form in Spanish, and in the policy default for a language the policy does not offer', async () => {
    const { open } = await hostedForm();

    const notOffered = await open('lang=de');

    expect(notOffered.html).toContain('<html lang="en">');
    expect(notOffered.html).toContain('<input type="hidden" name="locale" value="en">');
    expect((await open('lang=fr')).html).toContain('<label for="name">Your name</label>');
    expect((await open('lang=es')).html).toContain('<label for="name">Tu nombre</label>');
  });

  it('posts an offered language it shows no page in (German) so the acknowledgement still speaks it', async () => {
    const { open } = await hostedForm('examples/360dialog.yaml');

    const { html } = await open('lang=de');

    expect(html).toContain('<label for="name">Your name</label>');
    expect(html).toContain('<input type="hidden" name="locale" value="de">');
  });

  it('escapes a hostile language and refuses a hostile queue with a 404 that does not echo it', async () => {
    const { open } = await hostedForm();
    const hostile = '"><script>alert(1)</script>';

    const badLang = await open(`lang=${encodeURIComponent(hostile)}`);
    const badQueue = await open(`queue=${encodeURIComponent(hostile)}&lang=es`);

    expect(badLang.status).toBe(200);
    expect(badLang.html).not.toContain('<script');
    expect(badLang.html).toContain('<html lang="en">');
    expect(badQueue.status).toBe(404);
    expect(badQueue.html).not.toContain('<script');
    expect(badQueue.html).not.toContain('alert(1)');
    expect(badQueue.html).toContain('<h1 id="problem">Este formulario no existe</h1>');
  });

  it('sends the strict Content-Security-Policy and no script or inline style', async () => {
    const { open } = await hostedForm();

    const { headers, html } = await open('');

    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).toContain("form-action 'self'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/<script|style="/i);
  });
});

describe("POST /tickets from the hosted form's browser", () => {
  it('answers a form post that prefers HTML with the confirmation page: the number and the status link', async () => {
    const { post } = await hostedForm();

    const { status, headers, html } = await post(ANA);

    expect(status).toBe(201);
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    const number = /<dd id="ticket-number">(\d+)<\/dd>/.exec(html)?.[1];
    expect(number).toBeDefined();
    expect(html).toContain(
      `<a id="status-link" href="https://support.example.test/t/${number}">Acompanhe seu chamado</a>`,
    );
    expect(html).toContain('<html lang="pt-BR">');
  });

  it('confirms without a number or link when no ticket was opened (a suspended customer is told by mail)', async () => {
    const { policy } = pipeline();
    const page = await TicketFormPage.load(policy);

    const { status, body } = confirmationResponse(page, 'es', { number: null, statusUrl: null });

    expect(status).toBe(202);
    expect(body).toContain('<h1>Hemos recibido tu solicitud</h1>');
    expect(body).not.toContain('ticket-number');
    expect(body).not.toContain('status-link');
  });

  it('re-renders the form for a bad e-mail with the error next to it and the other values kept, escaped', async () => {
    const { post } = await hostedForm();

    const { status, html } = await post({ ...ANA, email: 'ana@', subject: '<b>Fatura</b> "março"', message: 'a & b' });

    expect(status).toBe(400);
    expect(html).toContain('aria-invalid="true" aria-describedby="email-error"');
    expect(html).toContain('<p class="error" id="email-error">Informe um endereço de e-mail válido.</p>');
    expect(html).toContain('value="ana@"');
    expect(html).toContain('value="&lt;b&gt;Fatura&lt;/b&gt; &quot;março&quot;"');
    expect(html).not.toContain('<b>Fatura');
    expect(html).toContain('>a &amp; b</textarea>');
    expect(html).toContain('value="Ana"');
    expect(html.match(/aria-invalid/g)).toHaveLength(1);
    expect(html).toContain('id="form-error"');
  });

  it("confirms the hosted form's own post (multipart, with a file) with the number", async () => {
    const { postMultipart, store } = await hostedForm();

    const { status, html } = await postMultipart([
      ...textParts(ANA),
      { name: 'attachments', filename: 'fatura.pdf', contentType: 'application/pdf', content: INVOICE_PDF },
    ]);

    expect(status).toBe(201);
    const number = Number(/<dd id="ticket-number">(\d+)<\/dd>/.exec(html)?.[1]);
    expect((await store.listMessages(number))[0]!.attachments.map((file) => file.filename)).toEqual(['fatura.pdf']);
  });

  it('re-renders the form for too many files with the error next to the file input and the words kept', async () => {
    const { postMultipart } = await hostedForm();
    const file = (index: number): FormPart => ({
      name: 'attachments',
      filename: `foto-${index}.png`,
      contentType: 'image/png',
      content: `png ${index}`,
    });

    const { status, html } = await postMultipart([...textParts(ANA), ...[1, 2, 3, 4, 5, 6].map(file)]);

    expect(status).toBe(413);
    expect(html).toContain('aria-describedby="attachments-hint attachments-error" aria-invalid="true"');
    expect(html).toContain('<p class="error" id="attachments-error">Anexe no máximo 5 arquivos.</p>');
    expect(html).toContain('value="Fatura"');
    expect(html).toContain('>Olá</textarea>');
    expect(html).toContain('id="form-error"');
  });

  it('keeps answering JSON to a client that does not prefer HTML', async () => {
    const { post } = await hostedForm();

    const created = await post(ANA, '*/*');
    const refused = await post({ ...ANA, email: 'ana@' }, 'application/json');

    expect(created.status).toBe(201);
    expect(JSON.parse(created.html)).toMatchObject({ number: expect.any(Number) });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.html).errors).toEqual([{ field: 'email', message: expect.any(String) }]);
  });

  it.each([
    [BROWSER_ACCEPT, true],
    ['text/html', true],
    ['*/*', false],
    ['', false],
    ['application/json, text/html;q=0.5', false],
    ['text/html;q=0.5, application/json;q=0.5', false],
  ])('reads Accept %j as preferring HTML: %s', (accept, html) => {
    expect(prefersHtml(accept)).toBe(html);
  });

  it('answers a post from a foreign site with a page saying so in its language, linking back to the form', async () => {
    const { post } = await hostedForm();

    const { status, headers, html } = await post({ ...ANA, queue: 'installteam' }, BROWSER_ACCEPT, {
      origin: 'https://evil.example',
    });

    expect(status).toBe(403);
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(html).toContain('<h1 id="problem">Este formulário não pode ser enviado daqui</h1>');
    expect(html).toContain(
      '<a id="back-to-form" href="/form?queue&#x3D;installteam&amp;lang&#x3D;pt-BR">Voltar ao formulário</a>',
    );
  });

  it('answers a body too large and one of another type with pages in the Accept-Language, never JSON', async () => {
    const { post } = await hostedForm();
    const huge = { ...ANA, message: 'x'.repeat(70 * 1024) };

    const tooLarge = await post(huge, BROWSER_ACCEPT, { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' });
    const otherType = await post(ANA, BROWSER_ACCEPT, { 'content-type': 'text/plain', 'accept-language': 'pt' });
    const noLanguage = await post(ANA, BROWSER_ACCEPT, { 'content-type': 'text/plain', 'accept-language': 'de' });

    expect(tooLarge.status).toBe(413);
    expect(tooLarge.html).toContain('<html lang="es">');
    expect(tooLarge.html).toContain('<h1 id="problem">Tu solicitud es demasiado larga</h1>');
    expect(tooLarge.html).toContain('href="/form?lang&#x3D;es"');
    expect(otherType.status).toBe(415);
    expect(otherType.html).toContain('<html lang="pt-BR">');
    expect(otherType.html).toContain('Não conseguimos ler esta solicitação');
    expect(noLanguage.html).toContain('<html lang="en">');
    expect(noLanguage.html).toContain('href="/form"');
  });

  it('gives the form back after too many tickets, with what was typed, the minutes to wait and Retry-After', async () => {
    const policy = shippedPolicy('default.yaml');
    const { post } = await hostedForm('default.yaml', {
      policy: { ...policy, webForm: { ...policy.webForm, perAddress: { tickets: 1, per: 60 } } },
    });
    await post(ANA);

    const { status, headers, html } = await post({ ...ANA, subject: 'Segunda via <b>' });

    expect(status).toBe(429);
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
    const minutes = Math.ceil(Number(headers['retry-after']) / 60);
    expect(html).toContain(
      `<p class="error" id="form-error" role="alert">Você enviou várias solicitações em pouco tempo. Tente de novo em cerca de ${minutes} minutos; o que você escreveu está guardado abaixo.</p>`,
    );
    expect(html).toContain('value="Segunda via &lt;b&gt;"');
    expect(html).not.toContain('aria-invalid');
  });

  it("gives the form back after too many tickets with what the hosted form's own multipart post typed", async () => {
    const policy = shippedPolicy('default.yaml');
    const { post, postMultipart } = await hostedForm('default.yaml', {
      policy: { ...policy, webForm: { ...policy.webForm, perAddress: { tickets: 1, per: 60 } } },
    });
    await post(ANA);

    const { status, html } = await postMultipart([
      ...textParts({ ...ANA, subject: 'Segunda via <b>' }),
      { name: 'attachments', filename: 'fatura.pdf', contentType: 'application/pdf', content: INVOICE_PDF },
    ]);

    expect(status).toBe(429);
    expect(html).toContain('value="Segunda via &lt;b&gt;"');
    expect(html).toContain('>Olá</textarea>');
  });

  it('gives the form back with what was typed when the ticket cannot be opened now (503)', async () => {
    const store = new InMemoryTicketStore();
    store.getReceipt = async () => {
      throw new Error('DynamoDB is away');
    };
    const { post } = await hostedForm('default.yaml', { store });

    const { status, headers, html } = await post({ ...ANA, locale: 'es' });

    expect(status).toBe(503);
    expect(headers['retry-after']).toBe('30');
    expect(html).toContain('No pudimos enviar tu solicitud en este momento.');
    expect(html).toContain('value="Fatura"');
    expect(html).not.toContain('DynamoDB');
  });

  it("shows the policy's logo above the brand and allows its origin, and only it, in the CSP img-src", async () => {
    const policy = shippedPolicy('default.yaml');
    const logo = 'https://cdn.example.com/brand/logo.svg?v=2&x="';
    const { open } = await hostedForm('default.yaml', { policy: { ...policy, brand: { ...policy.brand, logo } } });
    const plain = await (await hostedForm()).open('');

    const { headers, html } = await open('lang=es');

    expect(html).toContain(
      '<header class="brand"><img class="logo" src="https://cdn.example.com/brand/logo.svg?v&#x3D;2&amp;x&#x3D;&quot;" alt=""> Atende Support</header>',
    );
    expect(headers['content-security-policy']).toContain("img-src 'self' https://cdn.example.com;");
    expect(plain.html).not.toContain('<img');
    expect(plain.headers['content-security-policy']).toContain("img-src 'self';");
  });
});
