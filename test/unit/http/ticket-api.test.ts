import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../../lib/adapters/http/http-exchange.ts';
import { type TicketApiOptions, ticketApiRoute } from '../../../lib/adapters/http/ticket-api.ts';
import { TICKET_BODY_MAX_BYTES } from '../../../lib/adapters/http/ticket-submission.ts';
import { InMemoryRequestCounters } from '../../../lib/adapters/memory/in-memory-request-counters.ts';
import { NumberedStatusLinks } from '../../../lib/adapters/memory/numbered-status-links.ts';
import type { Policy } from '../../../lib/domain/policy/policy-schema.ts';
import { pipeline } from '../../support/ingest-pipeline.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';

const ANA = { name: 'Ana', email: 'ana@example.org', subject: 'Fatura', message: 'Olá', locale: 'pt-BR' };

function api(overrides: Partial<TicketApiOptions> = {}, policy?: Policy) {
  const run = pipeline('default.yaml', policy === undefined ? {} : { policy });
  const route = ticketApiRoute({
    deps: { ...run.deps, statusLinks: new NumberedStatusLinks('https://support.example.test') },
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

  it('refuses another content type with 415, multipart included for now', async () => {
    const { post } = api();

    expect((await post(JSON.stringify(ANA), { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('--x--', { 'content-type': 'multipart/form-data; boundary=x' })).status).toBe(415);
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
