import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ApiGatewayHttpEvent,
  httpRequestFromApiGateway,
} from '../../../lib/adapters/aws-events/api-gateway-http-event.ts';
import type { HttpRequest } from '../../../lib/adapters/http/http-exchange.ts';
import { type TicketApiOptions, ticketApiRoute } from '../../../lib/adapters/http/ticket-api.ts';
import { MULTIPART_BODY_MAX_BYTES, TICKET_BODY_MAX_BYTES } from '../../../lib/adapters/http/ticket-submission.ts';
import { mimeComposer } from '../../../lib/adapters/mail/mime-composer.ts';
import { InMemoryRequestCounters } from '../../../lib/adapters/memory/in-memory-request-counters.ts';
import { NumberedStatusLinks } from '../../../lib/adapters/memory/numbered-status-links.ts';
import type { Policy } from '../../../lib/domain/policy/policy-schema.ts';
import { pipeline } from '../../support/ingest-pipeline.ts';
import { type FormPart, INVOICE_PDF, multipartBody, textParts } from '../../support/multipart-body.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';

const ANA = { name: 'Ana', email: 'ana@example.org', subject: 'Fatura', message: 'Olá', locale: 'pt-BR' };

function api(overrides: Partial<TicketApiOptions> = {}, policy?: Policy) {
  const run = pipeline('default.yaml', policy === undefined ? {} : { policy });
  const route = ticketApiRoute({
    deps: { ...run.deps, statusLinks: new NumberedStatusLinks('https://support.example.test'), composer: mimeComposer },
    counters: new InMemoryRequestCounters(),
    corsOrigins: ['https://www.example.com'],
    signatureSecret: null,
    ...overrides,
  });
  const post = async (body: string | Buffer, headers: Record<string, string> = {}, sourceIp = '198.51.100.7') => {
    const request: HttpRequest = {
      method: headers[':method'] ?? 'POST',
      path: '/tickets',
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/json', ...headers },
      body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
      sourceIp,
    };
    const response = await route(request);
    if (response === null) throw new Error('the route did not answer');
    const text = response.body.toString();
    return { ...response, json: text === '' ? null : JSON.parse(text) };
  };
  return { ...run, route, post };
}

const fields = (json: { errors: { field: string }[] }) => json.errors.map((error) => error.field);

describe('POST /tickets', () => {
  it('answers 201 with the number and status link, and acknowledges in Portuguese', async () => {
    const { post, sentTo } = api();

    const answer = await post(JSON.stringify(ANA));

    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({
      number: expect.any(Number),
      statusUrl: `https://support.example.test/t/${answer.json.number}`,
    });
    expect(sentTo('ana@example.org')[0]!.text).toContain('Olá, Ana');
  });

  it('takes a plain HTML form (application/x-www-form-urlencoded)', async () => {
    const { post } = api();
    const body = new URLSearchParams(ANA).toString();

    expect((await post(body, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' })).status).toBe(201);
  });

  it('refuses another content type with 415, naming the three it takes', async () => {
    const { post } = api();

    const answer = await post(JSON.stringify(ANA), { 'content-type': 'text/plain' });

    expect(answer.status).toBe(415);
    expect(answer.headers['accept-post']).toBe(
      'application/json, application/x-www-form-urlencoded, multipart/form-data',
    );
    expect((await post(JSON.stringify(ANA), { 'content-type': 'multipart/mixed; boundary=x' })).status).toBe(415);
    expect((await post(JSON.stringify(ANA), { 'content-type': '' })).status).toBe(415);
  });

  it('answers malformed JSON with 400 naming the body', async () => {
    const { post } = api();

    const answer = await post('{"name": "Ana",');

    expect(answer.status).toBe(400);
    expect(fields(answer.json)).toEqual(['body']);
  });

  it.each(['{}', '[]', 'null', '42', '"text"', 'true'])(
    'answers the junk body %s with 400, never 5xx',
    async (body) => {
      const { post } = api();

      const answer = await post(body);

      expect(answer.status).toBe(400);
      expect(answer.json.errors.length).toBeGreaterThan(0);
    },
  );

  it('names each bad field, in the requester language when given', async () => {
    const { post } = api();

    const answer = await post(
      JSON.stringify({ name: 7, email: 'not-an-address', subject: '', locale: 'es', priority: 'cosmic' }),
    );

    expect(answer.status).toBe(400);
    expect(fields(answer.json).sort()).toEqual(['email', 'message', 'name', 'priority', 'subject']);
    expect(answer.json.errors.find((error: { field: string }) => error.field === 'email').message).toBe(
      'Escribe una dirección de correo válida.',
    );
  });

  it('ignores unknown keys and never lets __proto__, constructor or prototype reach an object', async () => {
    const { post, store } = api();
    const body = `{"__proto__":{"polluted":true,"priority":"urgent"},"constructor":{"prototype":{"polluted":true}},"prototype":1,"extra":"x",${JSON.stringify(ANA).slice(1)}`;

    const answer = await post(body);
    const form = await post(
      `__proto__[polluted]=1&constructor=2&${new URLSearchParams({ ...ANA, subject: 'Outra' })}`,
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
    );

    expect(answer.status).toBe(201);
    expect(form.status).toBe(201);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((await store.getTicket(answer.json.number))?.priority).not.toBe('urgent');
  });

  it('answers a body over the documented limit with 413', async () => {
    const { post } = api();

    const answer = await post(JSON.stringify({ ...ANA, message: 'x'.repeat(TICKET_BODY_MAX_BYTES) }));

    expect(answer.status).toBe(413);
  });

  it('answers the same Idempotency-Key with the same answer, and with other words with 422', async () => {
    const { post, mailer } = api();
    const first = await post(JSON.stringify(ANA), { 'idempotency-key': 'k-1' });
    const sent = mailer.sent.length;

    const again = await post(JSON.stringify(ANA), { 'idempotency-key': 'k-1' });
    const other = await post(JSON.stringify({ ...ANA, message: 'Outra' }), { 'idempotency-key': 'k-1' });

    expect(again.json).toEqual(first.json);
    expect(other.status).toBe(422);
    expect(fields(other.json)).toEqual(['idempotency-key']);
    expect(mailer.sent).toHaveLength(sent);
  });

  it('keeps CR/LF in the subject and name out of the acknowledgement headers', async () => {
    const { post, sentTo } = api();
    const hostile = { ...ANA, name: 'Ana\r\nBcc: victim@example.net', subject: 'Fatura\r\nBcc: victim@example.net' };

    expect((await post(JSON.stringify(hostile))).status).toBe(201);

    const [ack] = sentTo('ana@example.org');
    expect(ack!.to.map((to) => to.address)).toEqual(['ana@example.org']);
    expect(sentTo('victim@example.net')).toEqual([]);
    expect(ack!.subject).not.toMatch(/[\r\n]/);
  });

  it('refuses a filled honeypot with 400 naming it, and opens nothing', async () => {
    const { post, mailer } = api();

    const answer = await post(JSON.stringify({ ...ANA, website: 'http://spam.example' }));

    expect(answer.status).toBe(400);
    expect(fields(answer.json)).toEqual(['website']);
    expect(mailer.sent).toEqual([]);
  });

  it("limits posts per address and per IP as the policy's webForm says, with 429 and Retry-After", async () => {
    const policy = shippedPolicy('default.yaml');
    const limited = { ...policy, webForm: { perAddress: { tickets: 2, per: 60 }, perIp: { tickets: 4, per: 60 } } };
    const { post } = api({}, limited);
    const as = (n: number, email = 'ana@example.org') => JSON.stringify({ ...ANA, email, subject: `Fatura ${n}` });
    await post(as(1));
    await post(as(2));

    const third = await post(as(3));
    const otherAddress = await post(as(4, 'bia@example.org'));
    const overIp = await post(as(5, 'caio@example.org'));
    const otherIp = await post(as(6, 'caio@example.org'), {}, '203.0.113.9');

    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(otherAddress.status).toBe(201);
    expect(overIp.status).toBe(429);
    expect(otherIp.status).toBe(201);
  });

  it('requires the HMAC signature when a secret is set', async () => {
    const secret = 'a web-form secret of the specs';
    const { post } = api({ signatureSecret: secret });
    const body = JSON.stringify(ANA);
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

    expect((await post(body)).status).toBe(401);
    expect((await post(body, { 'x-atende-signature': `sha256=${'0'.repeat(64)}` })).status).toBe(401);
    expect((await post(body, { 'x-atende-signature': signature })).status).toBe(201);
  });

  it('allows configured origins only (CORS), answering their preflight', async () => {
    const { post } = api();

    const preflight = await post('', { ':method': 'OPTIONS', origin: 'https://www.example.com' });
    const foreignPreflight = await post('', { ':method': 'OPTIONS', origin: 'https://evil.example' });
    const allowed = await post(JSON.stringify(ANA), { origin: 'https://www.example.com' });
    const foreign = await post(JSON.stringify({ ...ANA, subject: 'Outra' }), { origin: 'https://evil.example' });

    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://www.example.com');
    expect(preflight.headers['access-control-allow-headers']).toContain('idempotency-key');
    expect(foreignPreflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(allowed.status).toBe(201);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://www.example.com');
    expect(foreign.status).toBe(403);
  });

  it('is not the route of other paths', async () => {
    const { route } = api();

    const answer = await route({
      method: 'GET',
      path: '/health',
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.alloc(0),
      sourceIp: null,
    });

    expect(answer).toBeNull();
  });
});

const AGENTS = 'servicedesk-agents@example.com';
const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

describe('POST /tickets with files (multipart/form-data)', () => {
  function multipartApi(policy = shippedPolicy('default.yaml')) {
    const run = api({}, policy);
    const postForm = (parts: readonly FormPart[], headers: Record<string, string> = {}) => {
      const { body, contentType } = multipartBody(parts);
      return run.post(body, { 'content-type': contentType, ...headers });
    };
    const firstMessage = async (number: number) => (await run.store.listMessages(number))[0]!;
    return { ...run, postForm, firstMessage };
  }
  const pdf = (filename = 'fatura.pdf', content: Buffer = INVOICE_PDF): FormPart => ({
    name: 'attachments',
    filename,
    contentType: 'application/pdf',
    content,
  });

  it('opens a ticket from the fields alone, as a JSON post of them would, keeping no raw mail', async () => {
    const { postForm, firstMessage, rawMail } = multipartApi();

    const answer = await postForm(textParts(ANA));

    expect(answer.status).toBe(201);
    const message = await firstMessage(answer.json.number);
    expect(message).toMatchObject({ subject: 'Fatura', rawKey: null, attachments: [] });
    expect(rawMail.keys()).toEqual([]);
  });

  it('stores a PDF on the ticket as a mail attachment is stored, and attaches it to the agents notification', async () => {
    const { postForm, firstMessage, attachments, sentTo } = multipartApi();

    const answer = await postForm([...textParts(ANA), pdf()]);

    expect(answer.status).toBe(201);
    const number = answer.json.number;
    const key = `tickets/${number}/attachments/${sha256(INVOICE_PDF)}/fatura.pdf`;
    const message = await firstMessage(number);
    expect(message.attachments).toEqual([
      {
        filename: 'fatura.pdf',
        contentType: 'application/pdf',
        size: INVOICE_PDF.length,
        key,
        sha256: sha256(INVOICE_PDF),
        inline: false,
        withheld: null,
      },
    ]);
    expect(message.rawKey).toMatch(/^web\/[0-9a-f]{64}$/);
    expect(Buffer.from((await attachments.get(key)).content)).toEqual(INVOICE_PDF);
    const notice = sentTo(AGENTS)[0]!;
    expect(notice.files.map((file) => [file.filename, Buffer.from(file.content)])).toEqual([
      ['fatura.pdf', INVOICE_PDF],
    ]);
    expect(sentTo('ana@example.org')).toHaveLength(1);
  });

  it("takes as many files as the policy's attachments.webFormFiles, each stored", async () => {
    const { postForm, firstMessage, attachments, policy } = multipartApi();
    const files = Array.from({ length: policy.attachments.webFormFiles }, (_, index) =>
      pdf(`page-${index + 1}.pdf`, Buffer.concat([INVOICE_PDF, Buffer.from(`% page ${index + 1}\n`)])),
    );

    const answer = await postForm([...textParts(ANA), ...files]);

    expect(answer.status).toBe(201);
    expect(policy.attachments.webFormFiles).toBe(5);
    const message = await firstMessage(answer.json.number);
    expect(message.attachments.map((file) => file.filename)).toEqual([
      'page-1.pdf',
      'page-2.pdf',
      'page-3.pdf',
      'page-4.pdf',
      'page-5.pdf',
    ]);
    expect(attachments.keys()).toHaveLength(5);
  });

  it('refuses one file more than the policy takes with 413 naming attachments, and opens nothing', async () => {
    const { postForm, mailer, policy } = multipartApi();
    const files = Array.from({ length: policy.attachments.webFormFiles + 1 }, (_, index) => pdf(`page-${index}.pdf`));

    const answer = await postForm([...textParts(ANA), ...files]);

    expect(answer.status).toBe(413);
    expect(answer.json.errors).toEqual([{ field: 'attachments', message: 'Anexe no máximo 5 arquivos.' }]);
    expect(mailer.sent).toHaveLength(0);
  });

  it('refuses any file where the policy takes none (webFormFiles: 0)', async () => {
    const policy = shippedPolicy('default.yaml');
    const { postForm } = multipartApi({ ...policy, attachments: { ...policy.attachments, webFormFiles: 0 } });

    const answer = await postForm([...textParts({ ...ANA, locale: 'en' }), pdf()]);

    expect(answer.status).toBe(413);
    expect(answer.json.errors).toEqual([{ field: 'attachments', message: 'This form takes no files.' }]);
  });

  it('answers a multipart body over its documented limit (4 MiB) with 413 naming the body', async () => {
    const { postForm } = multipartApi();

    const answer = await postForm([...textParts(ANA), pdf('big.pdf', Buffer.alloc(MULTIPART_BODY_MAX_BYTES, 0x25))]);

    expect(answer.status).toBe(413);
    expect(fields(answer.json)).toEqual(['body']);
  });

  it('answers a text field over its limit with 413 naming it, and ignores an unknown one as large', async () => {
    const { postForm } = multipartApi();
    const long = 'x'.repeat(TICKET_BODY_MAX_BYTES + 1);

    const tooLong = await postForm(textParts({ ...ANA, message: long }));
    const ignored = await postForm(textParts({ ...ANA, notes: long }));

    expect(tooLong.status).toBe(413);
    expect(fields(tooLong.json)).toEqual(['message']);
    expect(ignored.status).toBe(201);
  });

  it('holds the text fields to the same rules as JSON, in the same words', async () => {
    const { postForm, post } = multipartApi();
    const bad = { name: 'Ana', email: 'not-an-address', subject: '', message: 'Olá', locale: 'es' };

    const multipart = await postForm(textParts(bad));
    const json = await post(JSON.stringify(bad));

    expect(multipart.status).toBe(400);
    expect(multipart.json).toEqual(json.json);
  });

  it.each([
    ['no boundary', 'multipart/form-data', multipartBody(textParts(ANA)).body],
    ['a truncated body', undefined, multipartBody([...textParts(ANA), pdf()]).body.subarray(0, 600)],
    ['a body of another boundary', undefined, multipartBody(textParts(ANA), 'another-boundary').body],
    [
      'a part header that never ends',
      undefined,
      Buffer.from(`--${'atende-spec-boundary-7MA4YWxkTrZu0gW'}\r\nX: ${'y'.repeat(20_000)}`),
    ],
  ])('answers malformed multipart (%s) with 400 naming the body, never 5xx', async (_, type, body) => {
    const { post, mailer } = multipartApi();

    const answer = await post(body, { 'content-type': type ?? multipartBody([]).contentType });

    expect(answer.status).toBe(400);
    expect(fields(answer.json)).toEqual(['body']);
    expect(mailer.sent).toHaveLength(0);
  });

  it('keeps a file name to one plain name: no path, no CR/LF', async () => {
    const { postForm, firstMessage, sentTo } = multipartApi();

    const answer = await postForm([
      ...textParts(ANA),
      pdf('C:\\Users\\ana\\..\\fatura.pdf'),
      {
        name: 'attachments',
        filenameStar: "utf-8''nota%0D%0ABcc%3A%20eve%40example.net.txt",
        contentType: 'text/plain',
        content: 'nota',
      },
      { name: 'attachments', filename: '../../etc/passwd', contentType: 'text/plain', content: 'root:x:0:0' },
    ]);

    expect(answer.status).toBe(201);
    const message = await firstMessage(answer.json.number);
    expect(message.attachments.map((file) => file.filename)).toEqual([
      'fatura.pdf',
      'nota Bcc: eve@example.net.txt',
      'passwd',
    ]);
    for (const file of message.attachments)
      expect(file.key).toMatch(/^tickets\/\d+\/attachments\/[0-9a-f]{64}\/[^/\\\r\n]+$/);
    const notice = sentTo(AGENTS)[0]!;
    expect(notice.files.map((file) => file.filename)).toEqual([
      'fatura.pdf',
      'nota Bcc: eve@example.net.txt',
      'passwd',
    ]);
    expect(sentTo('eve@example.net')).toEqual([]);
  });

  it('keeps a dangerous file on the ticket but never forwards it, as for mail', async () => {
    const { postForm, firstMessage, attachments, sentTo } = multipartApi();

    const answer = await postForm([
      ...textParts(ANA),
      { name: 'attachments', filename: 'fatura.pdf.exe', contentType: 'application/octet-stream', content: 'MZ…' },
    ]);

    expect(answer.status).toBe(201);
    const message = await firstMessage(answer.json.number);
    expect(message.attachments.map((file) => [file.filename, file.withheld])).toEqual([
      ['fatura.pdf.exe', 'dangerous'],
    ]);
    expect(attachments.keys()).toHaveLength(1);
    const notice = sentTo(AGENTS)[0]!;
    expect(notice.files).toEqual([]);
    expect(notice.text).toMatch(/fatura\.pdf\.exe .*a type that can run code/);
  });

  it('leaves out an untouched file input (an empty part without a name), as a browser posts it', async () => {
    const { postForm, firstMessage } = multipartApi();

    const answer = await postForm([
      ...textParts(ANA),
      { name: 'attachments', filename: '', contentType: 'application/octet-stream', content: '' },
    ]);

    expect(answer.status).toBe(201);
    expect((await firstMessage(answer.json.number)).attachments).toEqual([]);
  });

  it('answers the same Idempotency-Key and files again with the same ticket, and other files with 422', async () => {
    const { postForm, mailer } = multipartApi();
    const key = { 'idempotency-key': 'upload-1' };

    const first = await postForm([...textParts(ANA), pdf()], key);
    const sentAfterFirst = mailer.sent.length;
    const again = await postForm([...textParts(ANA), pdf()], key);
    const otherFile = await postForm([...textParts(ANA), pdf('fatura.pdf', Buffer.from('%PDF-1.4 another'))], key);
    const noFile = await postForm(textParts(ANA), key);

    expect(first.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(otherFile.status).toBe(422);
    expect(noFile.status).toBe(422);
    expect(mailer.sent).toHaveLength(sentAfterFirst);
  });

  it("stores a file posted as a follow-up that joins the requester's open ticket on the same subject", async () => {
    const { postForm, post, store, attachments } = multipartApi();
    const opened = await post(JSON.stringify(ANA));

    const followUp = await postForm([...textParts({ ...ANA, message: 'Segue a fatura.' }), pdf()]);

    expect(followUp.status).toBe(201);
    expect(followUp.json.number).toBe(opened.json.number);
    const messages = await store.listMessages(opened.json.number);
    const withFile = messages.find((message) => message.text.includes('Segue a fatura.'));
    expect(withFile?.attachments.map((file) => file.key)).toEqual([
      `tickets/${opened.json.number}/attachments/${sha256(INVOICE_PDF)}/fatura.pdf`,
    ]);
    expect(Buffer.from((await attachments.get(withFile!.attachments[0]!.key!)).content)).toEqual(INVOICE_PDF);
  });

  it('takes a multipart body as API Gateway hands it to the Lambda (base64), every byte of a binary file intact', async () => {
    const { route, firstMessage, attachments } = multipartApi();
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7) % 256));
    const { body, contentType } = multipartBody([
      ...textParts(ANA),
      { name: 'attachments', filename: 'dump.bin', contentType: 'application/octet-stream', content: binary },
    ]);
    const event = ApiGatewayHttpEvent.parse({
      rawPath: '/tickets',
      headers: { 'Content-Type': contentType },
      body: body.toString('base64'),
      isBase64Encoded: true,
      requestContext: { http: { method: 'POST', sourceIp: '198.51.100.7' } },
    });

    const answer = await route(httpRequestFromApiGateway(event));

    expect(answer?.status).toBe(201);
    const { number } = JSON.parse(String(answer?.body));
    const [file] = (await firstMessage(number)).attachments;
    expect(Buffer.from((await attachments.get(file!.key!)).content)).toEqual(binary);
  });

  it('applies the honeypot and ignores __proto__ and unknown fields', async () => {
    const { postForm, store } = multipartApi();

    const bot = await postForm(textParts({ ...ANA, website: 'https://spam.example' }));
    const odd = await postForm([
      { name: '__proto__', value: 'polluted' },
      { name: 'constructor', value: 'x' },
      { name: 'priority', value: '' },
      ...textParts({ ...ANA, subject: 'Outra' }),
    ]);

    expect(bot.status).toBe(400);
    expect(fields(bot.json)).toEqual(['website']);
    expect(odd.status).toBe(201);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((await store.getTicket(odd.json.number))?.subject).toBe('Outra');
  });
});
