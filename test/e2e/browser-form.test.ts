import { describe, expect, it } from 'vitest';
import { cli, outboxTo as mailTo, screenshot, useStackAndBrowser } from '../support/browser.ts';
import { INVOICE_PDF } from '../support/multipart-body.ts';

/**
 * The hosted form in a real browser (Debian chromium driven by playwright-core) against the local
 * stack: a Brazilian customer fills it in Portuguese, is told what is wrong next to the field,
 * corrects it, sees the confirmation with her ticket's number, and her acknowledgement is in the
 * outbox. Screenshots of each page go to test-output/screenshots/.
 */
const running = useStackAndBrowser();

describe('the hosted form in a real browser', () => {
  it('takes a ticket in Portuguese: an error next to its field, then the confirmation with the number', async () => {
    const base = `http://127.0.0.1:${running.stack().environment.ATENDE_HTTP_PORT}`;
    const page = await running.browser().newPage();
    const opened = await page.goto(`${base}/form?lang=pt-BR`);
    expect(opened?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR');
    await screenshot(page, 'form-pt-BR');

    await page.fill('#name', 'Ana Souza');
    await page.fill('#email', 'ana-sem-arroba');
    await page.fill('#subject', 'Fatura com valor errado');
    await page.fill('#message', 'A fatura deste mês veio com o valor errado.');
    // The browser's own check would stop an invalid address; the server's must hold without it.
    await page.$eval('form', (form) => form.setAttribute('novalidate', ''));
    await page.click('#submit-ticket');
    await page.waitForLoadState();
    expect(await page.textContent('#email-error')).toBeTruthy();
    expect(await page.inputValue('#subject')).toBe('Fatura com valor errado');
    await screenshot(page, 'form-error-pt-BR');

    await page.fill('#email', 'ana@cliente.example');
    await page.click('#submit-ticket');
    await page.waitForLoadState();
    const number = Number(await page.textContent('#ticket-number'));
    expect(number).toBeGreaterThanOrEqual(1000);
    await screenshot(page, 'form-confirmation-pt-BR');

    const status = await page.getAttribute('#status-link', 'href');
    await page.goto(status!);
    expect(await page.textContent('#ticket-number')).toBe(String(number));
    await page.close();

    const toAna = await mailTo('ana@cliente.example');
    expect(toAna.map((mail) => mail.subject)).toEqual([`[Atende #${number}] Fatura com valor errado`]);
  }, 90_000);

  it('takes a file from the file input (setInputFiles), confirms, and attaches it to the agents notice', async () => {
    const base = `http://127.0.0.1:${running.stack().environment.ATENDE_HTTP_PORT}`;
    const page = await running.browser().newPage();
    await page.goto(`${base}/form?lang=es`);
    expect(await page.textContent('label[for="attachments"]')).toBe('Archivos (opcional)');

    await page.fill('#name', 'Lucía Gómez');
    await page.fill('#email', 'lucia@cliente.example');
    await page.fill('#subject', 'Factura duplicada');
    await page.fill('#message', 'Adjunto la factura que me llegó dos veces.');
    await page.setInputFiles('#attachments', { name: 'factura.pdf', mimeType: 'application/pdf', buffer: INVOICE_PDF });
    await screenshot(page, 'form-with-file-es');
    await page.click('#submit-ticket');
    await page.waitForLoadState();

    const number = Number(await page.textContent('#ticket-number'));
    expect(number).toBeGreaterThanOrEqual(1000);
    await screenshot(page, 'form-with-file-confirmation-es');
    await page.close();
    const notice = (await outboxWithFiles('servicedesk-agents@example.com')).find((mail) =>
      mail.subject.includes(`#${number}`),
    );
    expect(notice?.attachments.map((file) => [file.filename, file.size])).toEqual([
      ['factura.pdf', INVOICE_PDF.length],
    ]);
  }, 90_000);
});

/** The outbox's mail to an address with the files each carried. */
async function outboxWithFiles(address: string) {
  const all = JSON.parse(await cli('outbox', '--json')) as {
    to: string[];
    subject: string;
    attachments: { filename: string; size: number }[];
  }[];
  return all.filter((mail) => mail.to.includes(address));
}
