import {
  type RecordSurveyAnswerDeps,
  recordSurveyAnswer,
  type SurveyAnswerOutcome,
} from '../../application/record-survey-answer.ts';
import { tagSubject } from '../../domain/mail/subject.ts';
import type { Ticket } from '../../domain/ticket/ticket.ts';
import type { SurveyPage, SurveyPageState, SurveyPageView } from '../templates/survey-page.ts';
import { formFields, htmlResponse, methodNotAllowed, notAFormPost, PAGE_STYLESHEET_PATH } from './html-page.ts';
import type { HttpResponse, HttpRoute } from './http-exchange.ts';

/** Largest request body a survey page takes: a 2,000-character comment, percent-encoded, fits several times over. */
export const SURVEY_BODY_MAX_BYTES = 16 * 1024;

export const SURVEY_PATH_PREFIX = '/survey/';

export interface SurveyAnswerRoute {
  readonly deps: RecordSurveyAnswerDeps;
  readonly page: SurveyPage;
  /** Where a failure that is not the customer's goes (the stack's log). */
  readonly log?: (line: string) => void;
}

const STATUS: Readonly<Record<SurveyPageState, number>> = {
  recorded: 200,
  commented: 200,
  'already-recorded': 200,
  invalid: 400,
  'not-found': 404,
  expired: 410,
  'too-large': 413,
  failed: 500,
};

/**
 * `GET /survey/<token>` records the rating the link carries and answers with the thank-you
 * page and a comment form; `POST /survey/<token>` (form-encoded `comment=…`) adds the comment
 * once. GET records on purpose (the contract: one click answers): a mail scanner that
 * prefetches links records the rating of the first link it fetches, and the customer's own
 * click then reads "already recorded". A ticket takes one answer, so a prefetch of both links
 * still records one, never two. HEAD is refused like any other method: it would record too.
 */
export function surveyAnswerRoute(route: SurveyAnswerRoute): HttpRoute {
  return async (request) => {
    if (!request.path.startsWith(SURVEY_PATH_PREFIX)) return null;
    const token = request.path.slice(SURVEY_PATH_PREFIX.length);
    const fallback = route.deps.policy.languages.default;
    const reply = (view: Omit<SurveyPageView, 'fallback' | 'stylesheet'>) =>
      surveyPage(STATUS[view.state], route.page.render({ ...view, fallback, stylesheet: PAGE_STYLESHEET_PATH }));
    if (request.method !== 'GET' && request.method !== 'POST') return methodNotAllowed('GET, POST');
    let comment: string | null = null;
    if (request.method === 'POST') {
      const fields = formFields(request.headers, request.body);
      if (fields === null) return notAFormPost();
      if (request.body.length > SURVEY_BODY_MAX_BYTES) return reply({ state: 'too-large', locale: fallback });
      comment = fields.get('comment') ?? '';
    }
    let outcome: SurveyAnswerOutcome;
    try {
      outcome = await recordSurveyAnswer(route.deps, { token, comment });
    } catch (error) {
      route.log?.(`survey: ${error instanceof Error ? error.message : String(error)}`);
      return reply({ state: 'failed', locale: fallback });
    }
    return reply(viewOf(route, outcome, token));
  };
}

function viewOf(
  route: SurveyAnswerRoute,
  outcome: SurveyAnswerOutcome,
  token: string,
): Omit<SurveyPageView, 'fallback' | 'stylesheet'> {
  const fallback = route.deps.policy.languages.default;
  const about = (ticket: Ticket) => ({
    locale: ticket.locale,
    ticket: { tag: tagSubject('', route.deps.policy.brand.tag, ticket.number), subject: ticket.subject },
  });
  switch (outcome.outcome) {
    case 'recorded':
    case 'already-recorded': {
      const state =
        outcome.outcome === 'already-recorded' ? 'already-recorded' : outcome.commented ? 'commented' : 'recorded';
      return {
        state,
        ...about(outcome.ticket),
        answer: outcome.answer,
        ...(outcome.answer.comment === null ? { commentAction: `${SURVEY_PATH_PREFIX}${token}` } : {}),
      };
    }
    case 'expired':
      return outcome.ticket ? { state: 'expired', ...about(outcome.ticket) } : { state: 'expired', locale: fallback };
    case 'ticket-not-found':
      return { state: 'not-found', locale: fallback };
    case 'invalid':
      return { state: 'invalid', locale: fallback };
  }
}

/**
 * The pages' headers and strict CSP (html-page.ts), with no referrer at all rather than
 * same-origin: the survey's URL holds its token, and its own comment form is the only place it
 * posts (the ticket API's Origin check, for which the other pages send same-origin, is not on it).
 */
const surveyPage = (status: number, html: string): HttpResponse =>
  htmlResponse(status, html, { headers: { 'referrer-policy': 'no-referrer' } });
