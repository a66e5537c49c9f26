import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';
import { INVOICE_PDF } from '../support/multipart-body.ts';
import { runCli } from '../support/run-cli.ts';

/** The acceptance curl against the running local stack: POST /tickets, then the outbox. */
interface OutboxMail {
  to: string[];
  subject: string;
  text: string;
  attachments: { filename: string; contentType: string; size: number }[];
}

let stack: LocalStackProcess;
let base: string;

beforeAll(async () => {
  stack = await startLocalStackProcess();
  Object.assign(process.env, stack.environment);
  base = `http://127.0.0.1:${stack.environment.ATENDE_HTTP_PORT}`;
}, 60_000);
afterAll(async () => {
  expect(await stack?.stop()).toBe(0);
});

const postTicket = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${base}/tickets`, { method: 'POST', headers, body });

describe('POST /tickets on the local stack', () => {
  it("answers the README's curl with 201, and Ana gets a Portuguese acknowledgement in the outbox", async () => {
    const answer = await postTicket(
      '{"name":"Ana","email":"ana@example.org","subject":"Fatura","message":"Olá","locale":"pt-BR"}',
    );

    expect(answer.status).toBe(201);
    const { number, statusUrl } = (await answer.json()) as { number: number; statusUrl: string };
    // A signed link to the ticket's status page, which opens it.
    expect(statusUrl.startsWith(`${base}/t/${number}.`)).toBe(true);
    expect((await fetch(statusUrl)).status).toBe(200);
    const run = await runCli('outbox', '--json');
    const toAna = (JSON.parse(run.stdout) as OutboxMail[]).filter((mail) => mail.to.includes('ana@example.org'));
    expect(toAna).toHaveLength(1);
    expect(toAna[0]!.subject).toContain(`#${number}`);
    expect(toAna[0]!.text).toContain('Olá, Ana');
    // The answer and the mail sign their links apart, a second may tick between them: the same ticket's link, and it opens.
    const mailed = new RegExp(`${base}/t/${number}\\.\\S+`).exec(toAna[0]!.text)?.[0];
    expect(mailed).toBeDefined();
    expect((await fetch(mailed!)).status).toBe(200);
  });

  it("takes the README's curl -F with a PDF: 201, the file kept on the ticket and attached to the agents' notice", async () => {
    // What `curl -F name=… -F attachments=@fatura.pdf` sends: the runtime's own multipart encoder.
    const form = new FormData();
    for (const [name, value] of Object.entries({
      name: 'Caio',
      email: 'caio@example.org',
      subject: 'Boleto em anexo',
      message: 'Segue o boleto que não consigo pagar.',
      locale: 'pt-BR',
    }))
      form.append(name, value);
    form.append('attachments', new Blob([INVOICE_PDF], { type: 'application/pdf' }), 'boleto.pdf');

    const answer = await fetch(`${base}/tickets`, { method: 'POST', body: form });

    expect(answer.status).toBe(201);
    const { number } = (await answer.json()) as { number: number };
    const out = join(stack.environment.ATENDE_DATA_DIR, 'got-boleto.pdf');
    const got = await runCli('attachments', 'get', String(number), 'boleto.pdf', '--out', out);
    expect(got.exitCode).toBe(0);
    expect(readFileSync(out).equals(INVOICE_PDF)).toBe(true);
    const outbox = JSON.parse((await runCli('outbox', '--json')).stdout) as OutboxMail[];
    const notice = outbox.find(
      (mail) => mail.to.includes('servicedesk-agents@example.com') && mail.subject.includes(`#${number}`),
    );
    expect(notice?.attachments).toEqual([
      { filename: 'boleto.pdf', contentType: 'application/pdf', size: INVOICE_PDF.length },
    ]);
    expect(outbox.filter((mail) => mail.to.includes('caio@example.org'))).toHaveLength(1);
  }, 60_000);

  it('answers junk and the wrong content type with 400 and 415, and keeps /health answering', async () => {
    expect((await postTicket('[]')).status).toBe(400);
    expect((await postTicket('{"name":', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await postTicket('hello', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

describe('the hosted form on the local stack', () => {
  it('serves GET /form in Portuguese and answers its plain post with the confirmation page', async () => {
    const form = await fetch(`${base}/form?queue=servicedesk&lang=pt-BR`);
    const formHtml = await form.text();

    expect(form.status).toBe(200);
    expect(formHtml).toContain('<label for="name">Seu nome</label>');
    expect(formHtml).toContain('id="submit-ticket"');

    const fields = { name: 'Bia', email: 'bia@example.org', subject: 'Acesso', message: 'Não entro', website: '' };
    const answer = await postTicket(
      new URLSearchParams({ ...fields, queue: 'servicedesk', locale: 'pt-BR' }).toString(),
      {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
        origin: new URL(base).origin,
      },
    );
    const page = await answer.text();

    expect(answer.status).toBe(201);
    expect(page).toMatch(/<dd id="ticket-number">\d+<\/dd>/);
    expect(page).toMatch(new RegExp(`<a id="status-link" href="${base}/t/\\d+\\.`));
    expect((await fetch(`${base}/pages/page.css`)).status).toBe(200);
  });
});
