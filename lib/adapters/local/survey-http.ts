import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type RecordSurveyAnswerDeps,
  recordSurveyAnswer,
  type SurveyAnswerOutcome,
} from '../../application/record-survey-answer.ts';
import { tagSubject } from '../../domain/mail/subject.ts';
import type { Ticket } from '../../domain/ticket/ticket.ts';
import type { SurveyPage, SurveyPageState, SurveyPageView } from '../templates/survey-page.ts';
import { readBody } from './request-body.ts';

/** Largest request body a survey page takes: a 2,000-character comment, percent-encoded, fits several times over. */
export const SURVEY_BODY_MAX_BYTES = 16 * 1024;

export const SURVEY_PATH_PREFIX = '/survey/';

export interface SurveyRoute {
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
 * still records one, never two.
 */
export async function answerSurveyRequest(
  route: SurveyRoute,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<void> {
  const token = path.slice(SURVEY_PATH_PREFIX.length);
  const fallback = route.deps.policy.languages.default;
  const reply = (view: Omit<SurveyPageView, 'fallback'>) =>
    sendPage(response, STATUS[view.state], route.page.render({ ...view, fallback }));
  if (request.method !== 'GET' && request.method !== 'POST') {
    request.resume();
    response.writeHead(405, { allow: 'GET, POST', 'cache-control': 'no-store' });
    response.end();
    return;
  }
  let comment: string | null = null;
  if (request.method === 'POST') {
    const type = (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      request.resume();
      response.writeHead(415, { accept: 'application/x-www-form-urlencoded', 'cache-control': 'no-store' });
      response.end();
      return;
    }
    const body = await readBody(request, SURVEY_BODY_MAX_BYTES);
    if (body === null) {
      response.setHeader('connection', 'close');
      reply({ state: 'too-large', locale: fallback });
      return;
    }
    comment = new URLSearchParams(body.toString('utf8')).get('comment') ?? '';
  } else {
    // A GET's body means nothing here; it is drained so the connection can be reused.
    request.resume();
  }
  let outcome: SurveyAnswerOutcome;
  try {
    outcome = await recordSurveyAnswer(route.deps, { token, comment });
  } catch (error) {
    route.log?.(`survey: ${error instanceof Error ? error.message : String(error)}`);
    reply({ state: 'failed', locale: fallback });
    return;
  }
  reply(viewOf(route, outcome, token));
}

function viewOf(route: SurveyRoute, outcome: SurveyAnswerOutcome, token: string): Omit<SurveyPageView, 'fallback'> {
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
 * The page's headers: never cached (it shows a customer's answer), no referrer (the URL holds
 * the token), and a policy that allows no script, no frame and forms only to this server.
 */
function sendPage(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });
  response.end(html);
}
