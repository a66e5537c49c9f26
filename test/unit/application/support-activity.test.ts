import { describe, expect, it } from 'vitest';
import { mimeComposer } from '../../../lib/adapters/mail/mime-composer.ts';
import { submitWebForm } from '../../../lib/application/submit-web-form.ts';
import { AtendeError } from '../../../lib/domain/atende-error.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from '../../support/ingest-pipeline.ts';
import { at, withFirstEscalationContacts } from '../../support/policy-fixtures.ts';

const HOUR = 3_600_000;
const MONDAY_10AM = at('2026-11-23T10:00:00-05:00');
const refused = () =>
  new AtendeError('mail.rejected', 'SES refused the mail: MessageRejected: Address blacklisted.', {
    details: { sesError: 'MessageRejected', retryable: false },
  });

/** The default policy whose first escalation level mails only a partner's lead (Cc'd by the customer below). */
const onlyPartnerAtFirstLevel = () =>
  withFirstEscalationContacts(() => [{ name: 'Partner Lead', role: 'Partner lead', address: 'lead@partner.example' }]);

describe('what the use cases report as it happens', () => {
  it('reports a new ticket once it is stored, then each mail it sent', async () => {
    const { receive, activity } = pipeline();

    const number = ticketNumberOf(await receive({}));

    expect(activity.reported).toEqual([
      { kind: 'ticket-opened', ticketNumber: number, channel: 'email' },
      { kind: 'mail-sent', ticketNumber: number, purpose: 'acknowledgement' },
      { kind: 'mail-sent', ticketNumber: number, purpose: 'agent-new-ticket' },
    ]);
  });

  it('reports a ticket from the web form as opened on the web channel, once for a repeated post', async () => {
    const { deps: kernel, activity } = pipeline();
    const deps = { ...kernel, composer: mimeComposer };
    const post = {
      submission: {
        name: 'Ana',
        email: 'ana@example.org',
        subject: 'Fatura',
        message: 'Olá, a fatura de novembro veio em dobro.',
        priority: null,
        queue: null,
        locale: 'pt-BR',
        phone: null,
      },
      idempotencyKey: 'order-77',
    };

    const answer = await submitWebForm(deps, post);
    await submitWebForm(deps, post);

    expect(answer).toMatchObject({ outcome: 'opened' });
    expect(activity.reported.filter((reported) => reported.kind === 'ticket-opened')).toEqual([
      { kind: 'ticket-opened', ticketNumber: answer.outcome === 'opened' ? answer.number : -1, channel: 'web' },
    ]);
  });

  it('reports nothing again when the same event is delivered again', async () => {
    const { receive, activity } = pipeline();
    await receive({}, { key: 'ses-twice' });
    activity.clear();

    await receive({}, { key: 'ses-twice' });

    expect(activity.reported).toEqual([]);
  });

  it('reports a reply threaded into its ticket, with how it was found', async () => {
    const { receive, activity, sentTo, clock } = pipeline();
    const number = ticketNumberOf(await receive({}));
    const acknowledgement = sentTo('ana@customer.example')[0]!;
    activity.clear();
    // Past the follow-up throttle's window, so the agents hear of it at once.
    clock.advance(2 * HOUR);

    await receive({ subject: 'Any news?', inReplyTo: acknowledgement.messageId });

    expect(activity.reported).toEqual([
      { kind: 'message-threaded', ticketNumber: number, via: 'message-id' },
      { kind: 'mail-sent', ticketNumber: number, purpose: 'agent-customer-reply' },
    ]);
  });

  it('reports quarantined mail with its reason and nothing else', async () => {
    const { receive, activity } = pipeline();

    await receive({}, { verdicts: { spam: 'FAIL' } });

    expect(activity.reported).toEqual([{ kind: 'message-quarantined', reason: 'inbound.spam' }]);
  });

  it('reports a mail refused for good as failed, with the refusal, and the others as sent', async () => {
    const { receive, activity, mailer } = pipeline();
    mailer.failNext(refused());

    const number = ticketNumberOf(await receive({}));

    expect(activity.reported.filter((reported) => reported.kind.startsWith('mail-'))).toEqual([
      { kind: 'mail-failed', ticketNumber: number, purpose: 'acknowledgement', code: 'mail.rejected' },
      { kind: 'mail-sent', ticketNumber: number, purpose: 'agent-new-ticket' },
    ]);
  });

  it('reports no failure for a mail that may still go, and reports it sent when the retry sends it', async () => {
    const { receive, activity, mailer, clock } = pipeline();
    mailer.failNext(
      new AtendeError('mail.throttled', 'Maximum sending rate exceeded', { details: { retryable: true } }),
    );
    await expect(receive({}, { key: 'ses-throttled' })).rejects.toMatchObject({ code: 'mail.throttled' });
    expect(activity.count('mail-failed')).toBe(0);
    expect(activity.count('mail-sent')).toBe(1);
    clock.advance(60_000);

    await receive({}, { key: 'ses-throttled' });

    expect(activity.count('mail-sent')).toBe(2);
    expect(activity.count('ticket-opened')).toBe(1);
  });

  it('reports each escalation level that mailed someone', async () => {
    const { receive, activity, runTimersUntil, deps } = pipeline();
    const number = ticketNumberOf(await receive({}, { verdicts: AUTHENTICATED }));

    await runTimersUntil(MONDAY_10AM + 30 * HOUR);

    const levels = deps.policy.sla.escalation!.levels.length;
    expect(activity.reported.filter((reported) => reported.kind === 'escalation-sent')).toEqual(
      Array.from({ length: levels }, (_, index) => ({
        kind: 'escalation-sent',
        ticketNumber: number,
        level: index + 1,
      })),
    );
  });

  it('reports no escalation for a level whose only contact is the customer’s own (no mail went)', async () => {
    const { receive, activity, runTimersUntil } = pipeline('default.yaml', { policy: onlyPartnerAtFirstLevel() });
    const number = ticketNumberOf(await receive({ cc: 'lead@partner.example' }, { verdicts: AUTHENTICATED }));

    await runTimersUntil(MONDAY_10AM + 30 * HOUR);

    const escalated = activity.reported.flatMap((reported) =>
      reported.kind === 'escalation-sent' && reported.ticketNumber === number ? [reported.level] : [],
    );
    expect(escalated).not.toContain(1);
    expect(escalated.length).toBeGreaterThan(0);
  });
});
