import {
  closeOnStatusPage,
  openStatusPage,
  openStatusPageFile,
  replyOnStatusPage,
  type StatusLinkRefusal,
  type StatusPageDeps,
} from '../../application/customer-status-page.ts';
import { STATUS_PATH_PREFIX } from '../../application/signed-status-links.ts';
import {
  STATUS_REPLY_MAX_CHARS,
  type StatusPageNotice,
  type StatusPageProblem,
  type TicketStatusPage,
} from '../templates/ticket-status-page.ts';
import { fileDownload } from './file-download.ts';
import {
  formFields,
  htmlResponse,
  methodNotAllowed,
  notAFormPost,
  PAGE_STYLESHEET_PATH,
  seeOther,
} from './html-page.ts';
import type { HttpRequest, HttpResponse, HttpRoute } from './http-exchange.ts';

/** Largest reply body the page takes: STATUS_REPLY_MAX_CHARS of UTF-8, percent-encoded, fits. */
export const STATUS_REPLY_BODY_MAX_BYTES = STATUS_REPLY_MAX_CHARS * 9 + 64;

export interface StatusPageRoute {
  readonly deps: StatusPageDeps;
  readonly page: TicketStatusPage;
  /** Where a failure that is not the customer's goes (the stack's log). */
  readonly log?: (line: string) => void;
  /** The largest file offered for download (the carrier's answer limit); larger ones are listed only. Default: no limit. */
  readonly fileMaxBytes?: number;
}

const PROBLEM_STATUS: Readonly<Record<StatusPageProblem, number>> = {
  invalid: 400,
  expired: 410,
  refused: 409,
  'too-large': 413,
  empty: 400,
  failed: 500,
  'no-file': 404,
};

/**
 * `/t/<token>`, `/t/<token>/reply`, `/t/<token>/close`, `/t/<token>/files/<sequence>/<index>`:
 * the token and what is asked of it.
 */
const PATH = /^\/t\/([^/]{1,300})(?:\/(reply|close)|\/files\/(\d{1,9})\/(\d{1,4}))?$/;

/**
 * The ticket status page: `GET /t/<token>` shows it; `POST /t/<token>/reply` (form-encoded
 * `message`) adds the requester's reply, `POST /t/<token>/close` closes the ticket, each answered
 * by a 303 back to the page so a reload never posts twice; `GET /t/<token>/files/<n>/<i>` downloads
 * a file the page lists as a link (file-download.ts), else answers the page with a 404 notice. A
 * bad or expired token gets a localized page saying so (400 / 410) and nothing of any ticket.
 */
export function statusPageRoute(route: StatusPageRoute): HttpRoute {
  return async (request) => {
    if (!request.path.startsWith(STATUS_PATH_PREFIX)) return null;
    const match = PATH.exec(request.path);
    if (!match) return null;
    const token = match[1] as string;
    const action = match[2] as 'reply' | 'close' | undefined;
    const pagePath = `${STATUS_PATH_PREFIX}${token}`;
    try {
      if (match[3] !== undefined) {
        if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET');
        return await download(route, request, token, pagePath, Number(match[3]), Number(match[4]));
      }
      if (action === undefined) {
        if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET');
        const notice = noticeOf(request.query.get('done'));
        return await show(route, token, pagePath, notice, null);
      }
      if (request.method !== 'POST') return methodNotAllowed('POST');
      if (action === 'close') {
        const done = await closeOnStatusPage(route.deps, token);
        return done === 'done' ? seeOther(`${pagePath}?done=closed`) : await refusal(route, token, pagePath, done);
      }
      return await reply(route, request, token, pagePath);
    } catch (error) {
      route.log?.(`status page: ${error instanceof Error ? error.message : String(error)}`);
      return problemPage(route, { outcome: 'invalid' }, pagePath, 'failed');
    }
  };
}

async function reply(route: StatusPageRoute, request: HttpRequest, token: string, pagePath: string) {
  if (request.body.length > STATUS_REPLY_BODY_MAX_BYTES) return show(route, token, pagePath, null, 'too-large');
  const fields = formFields(request.headers, request.body);
  if (fields === null) return notAFormPost();
  const message = (fields.get('message') ?? '').trim();
  if (message === '') return show(route, token, pagePath, null, 'empty');
  if (message.length > STATUS_REPLY_MAX_CHARS) return show(route, token, pagePath, null, 'too-large');
  const done = await replyOnStatusPage(route.deps, token, message);
  return done === 'done' ? seeOther(`${pagePath}?done=replied`) : refusal(route, token, pagePath, done);
}

async function download(
  route: StatusPageRoute,
  request: HttpRequest,
  token: string,
  pagePath: string,
  sequence: number,
  index: number,
): Promise<HttpResponse> {
  const maxBytes = route.fileMaxBytes ?? Number.POSITIVE_INFINITY;
  const found = await openStatusPageFile(route.deps, token, { sequence, index, maxBytes });
  if (found.outcome === 'file') return fileDownload(found.file, found.attachment.filename, request.method);
  if (found.outcome === 'no-file') return show(route, token, pagePath, null, 'no-file');
  return problemPage(route, found, pagePath, null);
}

async function show(
  route: StatusPageRoute,
  token: string,
  pagePath: string,
  notice: StatusPageNotice | null,
  problem: StatusPageProblem | null,
): Promise<HttpResponse> {
  const outcome = await openStatusPage(route.deps, token);
  if (outcome.outcome !== 'shown') return problemPage(route, outcome, pagePath, null);
  const html = route.page.render({
    outcome,
    action: pagePath,
    stylesheet: PAGE_STYLESHEET_PATH,
    notice,
    problem,
    fileMaxBytes: route.fileMaxBytes ?? Number.POSITIVE_INFINITY,
  });
  return htmlResponse(problem === null ? 200 : PROBLEM_STATUS[problem], html, { logo: route.deps.policy.brand.logo });
}

async function refusal(
  route: StatusPageRoute,
  token: string,
  pagePath: string,
  done: 'refused' | StatusLinkRefusal,
): Promise<HttpResponse> {
  if (done === 'refused') return show(route, token, pagePath, null, 'refused');
  return problemPage(route, done, pagePath, null);
}

function problemPage(
  route: StatusPageRoute,
  outcome: StatusLinkRefusal,
  pagePath: string,
  problem: StatusPageProblem | null,
): HttpResponse {
  const shown: StatusPageProblem = problem ?? (outcome.outcome === 'expired' ? 'expired' : 'invalid');
  const html = route.page.render({ outcome, action: pagePath, stylesheet: PAGE_STYLESHEET_PATH, problem: shown });
  return htmlResponse(PROBLEM_STATUS[shown], html, { logo: route.deps.policy.brand.logo });
}

const noticeOf = (value: string | null): StatusPageNotice | null =>
  value === 'replied' || value === 'closed' ? value : null;
