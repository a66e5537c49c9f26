import { describe, expect, it } from 'vitest';
import { bodyOf, httpRequest, statusPageFixture } from '../../support/status-page-fixture.ts';

const DAY = 24 * 3_600_000;
const screenshot = Buffer.from('\x89PNG\r\n\x1a\n the error dialog, as a picture');
const invoice = Buffer.from('%PDF-1.7 the March invoice');

/** The download links the page shows, in order. */
const linksOf = (html: string): string[] => [...html.matchAll(/<a href="([^"]+)" download>/g)].map((m) => m[1]!);

describe('files on the ticket status page', () => {
  it('lists each file of the conversation with its size as a link that downloads it', async () => {
    const { route, link } = await statusPageFixture({
      attachments: [
        { filename: 'error.png', contentType: 'image/png', content: screenshot },
        { filename: 'invoice.pdf', contentType: 'application/pdf', content: invoice },
      ],
    });

    const html = bodyOf(await route(httpRequest('GET', link)));

    expect(linksOf(html)).toEqual([`${link}/files/1/0`, `${link}/files/1/1`]);
    expect(html).toContain(`download>error.png</a> (${screenshot.length} B)`);
    const response = await route(httpRequest('GET', `${link}/files/1/1`));
    expect(response?.status).toBe(200);
    expect(Buffer.from(response!.body as Buffer)).toEqual(invoice);
    expect(response?.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`,
      'content-length': String(invoice.length),
      'x-content-type-options': 'nosniff',
      'content-security-policy': expect.stringMatching(/^sandbox/),
      'cache-control': 'no-store',
    });
  });

  it('declares a file outside the safe types as application/octet-stream, so no browser renders it', async () => {
    const { route, link } = await statusPageFixture({
      attachments: [
        { filename: 'page.html', contentType: 'text/html', content: '<script>alert(document.cookie)</script>' },
        { filename: 'logo.svg', contentType: 'image/svg+xml', content: '<svg onload="alert(1)"/>' },
      ],
    });

    for (const index of [0, 1]) {
      const response = await route(httpRequest('GET', `${link}/files/1/${index}`));
      expect(response?.status).toBe(200);
      expect(response?.headers['content-type']).toBe('application/octet-stream');
      expect(response?.headers['content-disposition']).toMatch(/^attachment;/);
    }
  });

  it('lists a dangerous file with the reason it is not offered, and never serves its bytes', async () => {
    const { route, link } = await statusPageFixture({
      attachments: [
        { filename: 'setup.exe', contentType: 'application/octet-stream', content: 'MZ not really a program' },
        { filename: 'error.png', contentType: 'image/png', content: screenshot },
      ],
    });

    const html = bodyOf(await route(httpRequest('GET', link)));
    const download = await route(httpRequest('GET', `${link}/files/1/0`));

    expect(html).toContain('<span class="file">setup.exe</span>');
    expect(html).toContain('files of this type can run programs');
    expect(linksOf(html)).toEqual([`${link}/files/1/1`]);
    expect(download?.status).toBe(404);
    expect(download?.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(bodyOf(download)).toContain('This file is not available');
    expect(bodyOf(download)).not.toContain('MZ not really');
  });

  it("offers the files of an agent's answer, never those of an internal note", async () => {
    const { route, link, agentAnswers, store, number } = await statusPageFixture();
    await agentAnswers('Internal: the customer owes us money, see the ledger.', [
      { filename: 'ledger.pdf', contentType: 'application/pdf', content: '%PDF internal ledger' },
    ]);
    await agentAnswers('Here is the invoice you asked for.', [
      { filename: 'invoice.pdf', contentType: 'application/pdf', content: invoice },
    ]);
    const messages = await store.listMessages(number);
    const note = messages.find((message) => message.purpose === 'internal-note')!;
    // What the customer sees of the answer is the relay mail, which carried the file.
    const answer = messages.find((message) => message.purpose === 'agent-reply-relay')!;

    const html = bodyOf(await route(httpRequest('GET', link)));
    const noteFile = await route(httpRequest('GET', `${link}/files/${note.sequence}/0`));

    expect(html).not.toContain('ledger.pdf');
    expect(linksOf(html)).toEqual([`${link}/files/${answer.sequence}/0`]);
    expect(noteFile?.status).toBe(404);
    expect(bodyOf(noteFile)).not.toContain('internal ledger');
    const served = await route(httpRequest('GET', `${link}/files/${answer.sequence}/0`));
    expect(Buffer.from(served!.body as Buffer)).toEqual(invoice);
  });

  it('answers 404, never bytes, for a file of another ticket or one that is not there', async () => {
    const { route, link, receive, sentTo } = await statusPageFixture();
    // Another requester's ticket with a file at the same place (first message, first file).
    await receive({
      from: 'bruno@other.example',
      subject: 'Contract',
      attachments: [{ filename: 'contract.pdf', contentType: 'application/pdf', content: '%PDF the secret contract' }],
    });
    expect(sentTo('bruno@other.example')).toHaveLength(1);

    for (const path of [`${link}/files/1/0`, `${link}/files/2/0`, `${link}/files/1/99`, `${link}/files/999/0`]) {
      const response = await route(httpRequest('GET', path));
      expect(response?.status).toBe(404);
      expect(bodyOf(response)).not.toContain('secret contract');
    }
  });

  it('answers a tampered or expired link with the same problem page as the page itself', async () => {
    const { route, link, clock } = await statusPageFixture({
      attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', content: invoice }],
    });
    const tampered = link.replace(/\.(\d+)\./, (_all, expiry: string) => `.${Number(expiry) + 1}.`);

    const refused = await route(httpRequest('GET', `${tampered}/files/1/0`));
    const page = await route(httpRequest('GET', tampered));
    clock.set(clock.now() + 91 * DAY);
    const expired = await route(httpRequest('GET', `${link}/files/1/0`));

    expect(refused?.status).toBe(400);
    expect(bodyOf(refused)).toBe(bodyOf(page));
    expect(expired?.status).toBe(410);
    expect(expired?.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const response of [refused, expired]) expect(bodyOf(response)).not.toContain('PDF');
  });

  it('lists a file over the carrier’s limit without a link, and does not serve it', async () => {
    const { route, link } = await statusPageFixture({
      fileMaxBytes: 1_000,
      attachments: [
        { filename: 'big.pdf', contentType: 'application/pdf', content: Buffer.alloc(2_000, 0x41) },
        { filename: 'small.pdf', contentType: 'application/pdf', content: invoice },
      ],
    });

    const html = bodyOf(await route(httpRequest('GET', link)));

    expect(linksOf(html)).toEqual([`${link}/files/1/1`]);
    expect(html).toContain('Too large to download here');
    expect((await route(httpRequest('GET', `${link}/files/1/0`)))?.status).toBe(404);
  });

  it('answers HEAD with the headers alone and refuses a POST to a file', async () => {
    const { route, link } = await statusPageFixture({
      attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', content: invoice }],
    });

    const head = await route(httpRequest('HEAD', `${link}/files/1/0`));
    const post = await route(httpRequest('POST', `${link}/files/1/0`));

    expect(head?.status).toBe(200);
    expect(head?.headers['content-length']).toBe(String(invoice.length));
    expect(head!.body.length).toBe(0);
    expect(post?.status).toBe(405);
  });
});
