import { readFile } from 'node:fs/promises';
import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { cli, outboxTo as mailTo, screenshot, useStackAndBrowser } from '../support/browser.ts';

/**
 * The ticket status page in a real browser (Debian chromium driven by playwright-core) against
 * the local stack, opened as the customer would: from the link in the acknowledgement that
 * `atende outbox` shows. The customer downloads the file she sent (the program she also sent is
 * listed, not offered), replies on the page and closes the ticket; a link changed
 * by one character shows the error page and nothing of the ticket. Screenshots of each page go
 * to test-output/screenshots/.
 */
const running = useStackAndBrowser();

interface TicketView {
  status: string;
  messages: { direction: string; purpose: string; text: string }[];
}

const ticket = async (number: number): Promise<TicketView> =>
  JSON.parse(await cli('tickets', 'show', String(number), '--json'));
const INVOICE = Buffer.from('%PDF-1.7 a fatura de março, escaneada');
const STATUS_LINK = /http:\/\/127\.0\.0\.1:\d+\/t\/[A-Za-z0-9_.~-]+/;

describe('the ticket status page in a real browser', () => {
  it('shows a Brazilian customer her ticket from the acknowledgement’s link, her file to download, takes her reply and closes the ticket', async () => {
    const smtp = createTransport({
      host: '127.0.0.1',
      port: Number(running.stack().environment.ATENDE_SMTP_PORT),
      secure: false,
      ignoreTLS: true,
    });
    await smtp.sendMail({
      from: 'Ana Souza <ana@cliente.example>',
      to: 'servicedesk@example.com',
      subject: 'Fatura com valor errado',
      text: 'Olá, a fatura deste mês veio com o valor errado. Vocês podem verificar, por favor? Obrigada.',
      attachments: [
        { filename: 'fatura março.pdf', contentType: 'application/pdf', content: INVOICE },
        { filename: 'corrigir.exe', contentType: 'application/octet-stream', content: 'MZ not really a program' },
      ],
    });
    smtp.close();
    const [ack] = await mailTo('ana@cliente.example');
    const number = Number(/#(\d+)/.exec(ack!.subject)![1]);
    const link = STATUS_LINK.exec(ack!.text)?.[0];
    expect(link).toBeDefined();

    const page = await running.browser().newPage();
    const opened = await page.goto(link!);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['content-security-policy']).toMatch(/default-src 'none'/);
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR');
    expect(await page.textContent('#ticket-number')).toBe(String(number));
    expect(await page.textContent('#conversation')).toContain('a fatura deste mês veio com o valor errado');
    // The customer's side only: the agents' notice of the same ticket is not on the page.
    expect(await page.textContent('main')).not.toContain('servicedesk-agents@example.com');
    await screenshot(page, 'status-page-pt-BR');

    // Her file downloads under its own name with its bytes; the program is listed with why it is not offered.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[download]')]);
    expect(download.suggestedFilename()).toBe('fatura março.pdf');
    expect(await readFile((await download.path())!)).toEqual(INVOICE);
    expect(await page.locator('a[download]').count()).toBe(1);
    expect(await page.textContent('#conversation')).toMatch(/corrigir\.exe[\s\S]*podem executar programas/);

    await page.fill('#message', 'Segue o número do pedido: 4471.');
    await page.click('#send-reply');
    await page.waitForLoadState();
    expect(await page.textContent('#conversation')).toContain('Segue o número do pedido: 4471.');
    await screenshot(page, 'status-page-replied-pt-BR');
    const replied = await ticket(number);
    expect(replied.messages.some((message) => message.text.includes('pedido: 4471'))).toBe(true);

    await page.click('#close-ticket');
    await page.waitForLoadState();
    expect((await ticket(number)).status).toBe('closed');
    await screenshot(page, 'status-page-closed-pt-BR');

    const tampered = `${link!.slice(0, -2)}${link!.endsWith('AA') ? 'BB' : 'AA'}`;
    const refused = await page.goto(tampered);
    expect(refused?.status()).toBeGreaterThanOrEqual(400);
    expect(await page.textContent('main')).not.toContain('Fatura com valor errado');
    await page.waitForSelector('#problem');
    await screenshot(page, 'status-page-tampered-link-pt-BR');
    await page.close();
  }, 90_000);
});
