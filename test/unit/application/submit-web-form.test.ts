import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mimeComposer } from '../../../lib/adapters/mail/mime-composer.ts';
import { NumberedStatusLinks } from '../../../lib/adapters/memory/numbered-status-links.ts';
import {
  type SubmitWebFormDeps,
  submissionFingerprint,
  submitWebForm,
  UNKEYED_REPEAT_WINDOW_MS,
  type WebFormSubmission,
  webFormRawKey,
} from '../../../lib/application/submit-web-form.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';
import { parseInboundMail } from '../../../lib/domain/mail/parse-inbound-mail.ts';
import { pipeline } from '../../support/ingest-pipeline.ts';

const ana: WebFormSubmission = {
  name: 'Ana',
  email: 'ana@example.org',
  subject: 'Fatura',
  message: 'Olá, a fatura de novembro veio em dobro.',
  priority: null,
  queue: null,
  locale: 'pt-BR',
  phone: null,
};

function webForm() {
  const run = pipeline();
  const deps: SubmitWebFormDeps = {
    ...run.deps,
    statusLinks: new NumberedStatusLinks('https://support.example.test'),
    composer: mimeComposer,
  };
  return { ...run, deps };
}

describe('submitWebForm', () => {
  it("opens a web ticket and acknowledges it in the requester's language, answering its number and status link", async () => {
    const { deps, store, sentTo } = webForm();

    const answer = await submitWebForm(deps, { submission: ana, idempotencyKey: null });

    expect(answer).toEqual({ outcome: 'opened', number: expect.any(Number), statusUrl: expect.any(String) });
    if (answer.outcome !== 'opened') throw new Error('not opened');
    expect(answer.statusUrl).toBe(`https://support.example.test/t/${answer.number}`);
    const ticket = await store.getTicket(answer.number);
    expect(ticket).toMatchObject({
      channel: 'web',
      locale: 'pt-BR',
      requester: 'ana@example.org',
      requesterName: 'Ana',
    });
    const acknowledgement = sentTo('ana@example.org');
    expect(acknowledgement).toHaveLength(1);
    expect(acknowledgement[0]!.text).toContain('Olá, Ana');
  });

  it('answers the same key again with the same ticket and creates nothing new', async () => {
    const { deps, mailer } = webForm();
    const first = await submitWebForm(deps, { submission: ana, idempotencyKey: 'order-77' });
    const sentBefore = mailer.sent.length;

    const again = await submitWebForm(deps, { submission: ana, idempotencyKey: 'order-77' });

    expect(again).toEqual(first);
    expect(mailer.sent).toHaveLength(sentBefore);
  });

  it('refuses the same key with other words (web.idempotencyConflict) and opens nothing for them', async () => {
    const { deps, mailer } = webForm();
    await submitWebForm(deps, { submission: ana, idempotencyKey: 'order-77' });
    const sentBefore = mailer.sent.length;

    const other = submitWebForm(deps, {
      submission: { ...ana, message: 'Outra coisa' },
      idempotencyKey: 'order-77',
    });

    await expect(other).rejects.toSatisfy((error) => isAtendeError(error, 'web.idempotencyConflict'));
    expect(mailer.sent).toHaveLength(sentBefore);
  });

  it('opens one ticket for the same words posted twice without a key (a double click)', async () => {
    const { deps, mailer } = webForm();
    const first = await submitWebForm(deps, { submission: ana, idempotencyKey: null });
    const sentBefore = mailer.sent.length;

    expect(await submitWebForm(deps, { submission: ana, idempotencyKey: null })).toEqual(first);
    expect(mailer.sent).toHaveLength(sentBefore);
  });

  it('opens the ticket in the queue and with the priority the form names, and keeps the phone for the agents', async () => {
    const { deps, store, policy } = webForm();
    const queue = policy.queues.at(-1)!.name;
    const priority = policy.priorities.levels[0]!.name;

    const answer = await submitWebForm(deps, {
      submission: { ...ana, queue, priority, phone: '+55 11 5555-0100' },
      idempotencyKey: null,
    });

    if (answer.outcome !== 'opened') throw new Error('not opened');
    expect(await store.getTicket(answer.number)).toMatchObject({ queue, priority });
    const [message] = await store.listMessages(answer.number);
    expect(message!.text).toContain('+55 11 5555-0100');
  });

  it('keeps a post with files as a raw mail from the requester to the queue, under a key a retry writes again', async () => {
    const { deps, rawMail, attachments } = webForm();
    const invoice = { filename: 'fatura.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 fatura') };
    const post = { submission: ana, idempotencyKey: null, files: [invoice] };

    const answer = await submitWebForm(deps, post);
    await submitWebForm(deps, post);

    if (answer.outcome !== 'opened') throw new Error('not opened');
    const sha = createHash('sha256').update(invoice.content).digest('hex');
    const fingerprint = submissionFingerprint(ana, [{ ...invoice, sha256: sha }]);
    const day = Math.floor(deps.clock.now() / UNKEYED_REPEAT_WINDOW_MS);
    const rawKey = webFormRawKey(`web:body:${fingerprint}:${day}`, fingerprint);
    expect(rawMail.keys()).toEqual([rawKey]);
    const kept = await parseInboundMail(Buffer.from(await rawMail.get(rawKey)));
    expect(kept).toMatchObject({
      from: { address: 'ana@example.org', name: 'Ana' },
      to: [{ address: 'servicedesk@example.com' }],
      subject: 'Fatura',
      text: expect.stringContaining('a fatura de novembro'),
      attachments: [{ filename: 'fatura.pdf', contentType: 'application/pdf', sha256: sha }],
    });
    expect(attachments.keys()).toEqual([`tickets/${answer.number}/attachments/${sha}/fatura.pdf`]);
  });

  it('hashes a post without files as it did before files were taken', () => {
    expect(submissionFingerprint(ana)).toBe(submissionFingerprint(ana, []));
    expect(submissionFingerprint(ana)).toBe(
      `sha256:${createHash('sha256')
        .update(JSON.stringify(['Ana', 'ana@example.org', 'Fatura', ana.message, null, null, 'pt-BR', null]))
        .digest('hex')}`,
    );
  });

  it('keeps the files of a requester whose address no mail can carry (a 65-octet local part the form accepts)', async () => {
    const { deps, store } = webForm();
    const email = `${'a'.repeat(65)}@example.org`;
    const notes = { filename: 'notas.txt', contentType: 'text/plain', content: Buffer.from('notas') };

    const answer = await submitWebForm(deps, { submission: { ...ana, email }, idempotencyKey: null, files: [notes] });

    if (answer.outcome !== 'opened') throw new Error('not opened');
    const [message] = await store.listMessages(answer.number);
    expect(message!.attachments.map((file) => file.filename)).toEqual(['notas.txt']);
  });
});
