import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { cli, outboxTo as mailTo, screenshot, useStackAndBrowser } from '../support/browser.ts';

/**
 * The customer's pages in a real browser (Debian chromium driven by playwright-core) against the
 * local stack: here the satisfaction survey a resolution summary links to, opened as the customer
 * would, from the mail in `atende outbox`. Each page is saved under test-output/screenshots/.
 */
const running = useStackAndBrowser();

describe('the survey page in a real browser', () => {
  it('records a Brazilian customer’s rating and comment once, in Portuguese, and refuses a tampered link', async () => {
    const smtp = createTransport({
      host: '127.0.0.1',
      port: Number(running.stack().environment.ATENDE_SMTP_PORT),
      secure: false,
      ignoreTLS: true,
    });
    await smtp.sendMail({
      from: 'João Silva <joao@cliente.example>',
      to: 'servicedesk@example.com',
      subject: 'Fatura com valor errado',
      text: 'Olá, a fatura deste mês veio com o valor errado. Vocês podem verificar, por favor? Obrigado.',
    });
    smtp.close();
    const number = Number(/#(\d+)/.exec((await mailTo('joao@cliente.example'))[0]!.subject)![1]);
    await cli('tickets', 'resolve', String(number), '--note', 'Corrigimos o valor da fatura.');
    const summary = (await mailTo('joao@cliente.example')).at(-1)!;
    const [good, bad] = [...summary.text.matchAll(/http:\/\/127\.0\.0\.1:\d+\/survey\/[A-Za-z0-9_.-]+/g)].map(
      (match) => match[0],
    );
    expect(good && bad).toBeTruthy();

    const page = await running.browser().newPage();
    const opened = await page.goto(good!);
    expect(opened?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR');
    await expect.poll(() => page.textContent('h1')).toMatch(/Obrigad/);
    await screenshot(page, 'survey-recorded-pt-BR');

    await page.getByRole('textbox').fill('Atendimento rápido, obrigado!');
    await page.getByRole('button').click();
    await page.waitForLoadState();
    expect(await page.textContent('main')).toContain('Atendimento rápido, obrigado!');
    await screenshot(page, 'survey-commented-pt-BR');

    // The other link of the same mail finds the answer recorded and changes nothing.
    await page.goto(bad!);
    expect(await page.textContent('h1')).not.toBe('');
    await screenshot(page, 'survey-already-recorded-pt-BR');
    const shown = JSON.parse(await cli('tickets', 'show', String(number), '--json')) as {
      satisfaction: { rating: string; comment: string | null } | null;
    };
    expect(shown.satisfaction).toMatchObject({ rating: 'good', comment: 'Atendimento rápido, obrigado!' });

    // One character changed in the signature: a page saying so, and nothing of the ticket.
    const tampered = `${good!.slice(0, -1)}${good!.endsWith('A') ? 'B' : 'A'}`;
    const refused = await page.goto(tampered);
    expect(refused?.status()).toBeGreaterThanOrEqual(400);
    expect(await page.textContent('main')).not.toContain('Fatura com valor errado');
    await screenshot(page, 'survey-tampered-link-pt-BR');
    await page.close();
  }, 90_000);
});
