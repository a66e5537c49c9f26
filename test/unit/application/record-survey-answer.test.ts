import { describe, expect, it } from 'vitest';
import { recordSurveyAnswer } from '../../../lib/application/record-survey-answer.ts';
import { SignedSurveyLinks } from '../../../lib/application/signed-survey-links.ts';
import { SURVEY_TOKEN_LIFETIME_MS } from '../../../lib/domain/ticket/survey-token.ts';
import { shippedPolicy } from '../../support/policy-fixtures.ts';
import { RESOLVED_AT, surveyDeps } from '../../support/survey-fixtures.ts';

describe('recording a satisfaction survey answer', () => {
  it('records the rating of the link followed on the ticket, with the time, and no message', async () => {
    const { deps, store, surveyLinks, resolvedTicket, tokenOf } = surveyDeps();
    const ticket = await resolvedTicket();

    const result = await recordSurveyAnswer(deps, { token: tokenOf(surveyLinks.linksFor(ticket).bad), comment: null });

    expect(result).toMatchObject({
      outcome: 'recorded',
      commented: false,
      answer: { rating: 'bad', comment: null, at: RESOLVED_AT },
    });
    const stored = await store.getTicket(ticket.number);
    expect(stored).toMatchObject({ satisfaction: { rating: 'bad', comment: null }, version: ticket.version + 1 });
    expect(stored!.messageCount).toBe(ticket.messageCount);
    expect(await store.listMessages(ticket.number)).toHaveLength(1);
    expect(await store.getReceipt(`survey:${ticket.number}`)).toMatchObject({ owed: [], ticketNumber: ticket.number });
  });

  it('records one answer per ticket: the other link afterwards changes nothing and says it was recorded', async () => {
    const { deps, store, surveyLinks, resolvedTicket, tokenOf, clock } = surveyDeps();
    const ticket = await resolvedTicket();
    const links = surveyLinks.linksFor(ticket);
    await recordSurveyAnswer(deps, { token: tokenOf(links.good), comment: null });
    const after = await store.getTicket(ticket.number);
    clock.advance(60_000);

    const again = await recordSurveyAnswer(deps, { token: tokenOf(links.bad), comment: null });
    const same = await recordSurveyAnswer(deps, { token: tokenOf(links.good), comment: null });

    expect(again).toMatchObject({ outcome: 'already-recorded', answer: { rating: 'good', at: RESOLVED_AT } });
    expect(same).toMatchObject({ outcome: 'already-recorded', answer: { rating: 'good' } });
    expect(await store.getTicket(ticket.number)).toEqual(after);
  });

  it('records one of two answers arriving at once (a scanner fetching both links), never both', async () => {
    const { deps, store, surveyLinks, resolvedTicket, tokenOf } = surveyDeps();
    const ticket = await resolvedTicket();
    const links = surveyLinks.linksFor(ticket);

    const results = await Promise.all([
      recordSurveyAnswer(deps, { token: tokenOf(links.good), comment: null }),
      recordSurveyAnswer(deps, { token: tokenOf(links.bad), comment: null }),
      recordSurveyAnswer(deps, { token: tokenOf(links.good), comment: null }),
    ]);

    expect(results.map((result) => result.outcome).sort()).toEqual([
      'already-recorded',
      'already-recorded',
      'recorded',
    ]);
    const stored = await store.getTicket(ticket.number);
    expect(stored!.version).toBe(ticket.version + 1);
    const recorded = results.find((result) => result.outcome === 'recorded');
    expect(recorded && 'answer' in recorded ? recorded.answer.rating : null).toBe(stored!.satisfaction!.rating);
  });

  it('adds a comment once to the answer recorded, keeping its rating and time', async () => {
    const { deps, store, surveyLinks, resolvedTicket, tokenOf, clock } = surveyDeps();
    const ticket = await resolvedTicket();
    const token = tokenOf(surveyLinks.linksFor(ticket).good);
    await recordSurveyAnswer(deps, { token, comment: null });
    clock.advance(120_000);

    const commented = await recordSurveyAnswer(deps, { token, comment: 'Quick and kind, thank you.' });
    const second = await recordSurveyAnswer(deps, { token, comment: 'Actually, one more thing' });

    expect(commented).toMatchObject({
      outcome: 'recorded',
      commented: true,
      answer: { rating: 'good', comment: 'Quick and kind, thank you.', at: RESOLVED_AT },
    });
    expect(second).toMatchObject({ outcome: 'already-recorded', answer: { comment: 'Quick and kind, thank you.' } });
    expect((await store.getTicket(ticket.number))!.satisfaction!.comment).toBe('Quick and kind, thank you.');
    expect(await store.getReceipt(`survey-comment:${ticket.number}`)).not.toBeNull();
  });

  it('records the rating and the comment together when the comment comes first', async () => {
    const { deps, store, surveyLinks, resolvedTicket, tokenOf } = surveyDeps();
    const ticket = await resolvedTicket();

    const result = await recordSurveyAnswer(deps, {
      token: tokenOf(surveyLinks.linksFor(ticket).bad),
      comment: 'Slow.',
    });

    expect(result).toMatchObject({ outcome: 'recorded', commented: true, answer: { rating: 'bad', comment: 'Slow.' } });
    expect((await store.getTicket(ticket.number))!.satisfaction).toMatchObject({ rating: 'bad', comment: 'Slow.' });
  });

  it('treats an empty comment as none: the rating alone is recorded and a comment can still follow', async () => {
    const { deps, surveyLinks, resolvedTicket, tokenOf } = surveyDeps();
    const ticket = await resolvedTicket();
    const token = tokenOf(surveyLinks.linksFor(ticket).good);

    expect(await recordSurveyAnswer(deps, { token, comment: ' \r\n\u0007 ' })).toMatchObject({
      outcome: 'recorded',
      commented: false,
      answer: { comment: null },
    });
    expect(await recordSurveyAnswer(deps, { token, comment: 'Now a real one' })).toMatchObject({
      outcome: 'recorded',
      commented: true,
    });
  });

  it('masks secrets in a comment and flags the ticket, as it does for mail', async () => {
    const { deps, store, surveyLinks, resolvedTicket, tokenOf } = surveyDeps();
    const ticket = await resolvedTicket();

    await recordSurveyAnswer(deps, {
      token: tokenOf(surveyLinks.linksFor(ticket).good),
      comment: 'Works now. My password: Hunter2-Secret!x',
    });

    const stored = await store.getTicket(ticket.number);
    expect(stored!.satisfaction!.comment).not.toContain('Hunter2-Secret!x');
    expect(stored!.satisfaction!.comment).toMatch(/^Works now\. My password: H\*+x$/);
    expect(stored!.flags).toContain('secrets-masked');
  });

  it('says invalid for a token it did not sign, and records nothing', async () => {
    const { deps, store, resolvedTicket, tokenOf, clock } = surveyDeps();
    const ticket = await resolvedTicket();
    const stranger = new SignedSurveyLinks({
      secret: Buffer.alloc(32, 1),
      baseUrl: 'http://127.0.0.1:8025',
      policy: deps.policy,
      clock,
    });

    const result = await recordSurveyAnswer(deps, { token: tokenOf(stranger.linksFor(ticket).good), comment: null });

    expect(result).toEqual({ outcome: 'invalid', reason: 'bad-signature' });
    expect((await store.getTicket(ticket.number))!.satisfaction).toBeNull();
  });

  it('says expired after 90 days, with the ticket (its language for the page), and records nothing', async () => {
    const { deps, store, surveyLinks, resolvedTicket, tokenOf, clock } = surveyDeps();
    const ticket = await resolvedTicket({ locale: 'es' });
    const token = tokenOf(surveyLinks.linksFor(ticket).good);
    clock.advance(SURVEY_TOKEN_LIFETIME_MS + 1_000);

    const result = await recordSurveyAnswer(deps, { token, comment: null });

    expect(result).toMatchObject({ outcome: 'expired', ticketNumber: ticket.number, ticket: { locale: 'es' } });
    expect((await store.getTicket(ticket.number))!.satisfaction).toBeNull();
  });

  it('says ticket-not-found for a signed link to a ticket the store does not hold', async () => {
    const { deps, surveyLinks, resolvedTicket, tokenOf } = surveyDeps();
    const ticket = await resolvedTicket();
    const token = tokenOf(surveyLinks.linksFor({ ...ticket, number: ticket.number + 50 }).good);

    expect(await recordSurveyAnswer(deps, { token, comment: null })).toEqual({
      outcome: 'ticket-not-found',
      ticketNumber: ticket.number + 50,
    });
  });
});

describe('survey links', () => {
  it('point at GET /survey/<token> on the base URL, one per rating', () => {
    const { surveyLinks } = surveyDeps({ baseUrl: 'http://127.0.0.1:9999/' });
    const links = surveyLinks.linksFor({ number: 1042 } as never);

    expect(links.good).toMatch(/^http:\/\/127\.0\.0\.1:9999\/survey\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(surveyLinks.read(links.good.split('/survey/')[1]!)).toMatchObject({ ticketNumber: 1042, rating: 'good' });
    expect(surveyLinks.read(links.bad.split('/survey/')[1]!)).toMatchObject({ ticketNumber: 1042, rating: 'bad' });
  });

  it("point at the policy's survey page, keeping its own query, where the policy names one", () => {
    const base = shippedPolicy('default.yaml');
    const policy = { ...base, survey: { ...base.survey, url: 'https://survey.example.com/answer?lang=en' } };
    const { surveyLinks } = surveyDeps({ policy });

    const link = new URL(surveyLinks.linksFor({ number: 1042 } as never).bad);

    expect(`${link.origin}${link.pathname}`).toBe('https://survey.example.com/answer');
    expect(Object.fromEntries(link.searchParams)).toMatchObject({ lang: 'en', ticket: '1042', rating: 'bad' });
    expect(surveyLinks.read(link.searchParams.get('token')!)).toMatchObject({ ticketNumber: 1042, rating: 'bad' });
  });
});
