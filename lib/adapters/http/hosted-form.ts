import Negotiator from 'negotiator';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import {
  FORM_FIELDS,
  type FormField,
  type FormProblem,
  type FormRefusal,
  type TicketFormPage,
} from '../templates/ticket-form-page.ts';
import { htmlResponse, PAGE_STYLESHEET_PATH } from './html-page.ts';
import type { HttpRequest, HttpResponse, HttpRoute } from './http-exchange.ts';
import { ATTACHMENTS_FIELD, type FieldError, postedTextFields } from './ticket-submission.ts';

export const FORM_PATH = '/form';
/** Where the hosted form posts: the ticket API (ticket-api.ts TICKETS_PATH), which answers a browser in HTML. */
const FORM_ACTION = '/tickets';

export interface HostedFormRoute {
  readonly page: TicketFormPage;
  readonly policy: Policy;
}

/**
 * `GET /form?queue=…&lang=…`: the hosted form, in the asked language when we speak it (else the
 * policy's default), posting to `/tickets` with the queue and language as hidden fields. An
 * unknown queue is a 404 page: the query is never echoed back.
 */
export function hostedFormRoute(route: HostedFormRoute): HttpRoute {
  return async (request) => {
    if (request.path !== FORM_PATH) return null;
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return { status: 405, headers: { allow: 'GET', 'cache-control': 'no-store' }, body: '' };
    const locale = request.query.get('lang');
    const queue = request.query.get('queue') ?? '';
    if (queue !== '' && !route.policy.queues.some((known) => known.name === queue)) {
      return htmlResponse(
        404,
        route.page.problem({ stylesheet: PAGE_STYLESHEET_PATH, locale, problem: 'missing', formHref: null }),
        { logo: route.page.logo },
      );
    }
    const html = route.page.form({ action: FORM_ACTION, stylesheet: PAGE_STYLESHEET_PATH, locale, queue });
    return htmlResponse(200, request.method === 'HEAD' ? '' : html, { logo: route.page.logo });
  };
}

/**
 * Whether the client would rather have HTML than JSON: a browser's plain form post says
 * `text/html,…,*\/*;q=0.8`; curl's `*\/*` and a fetch's `application/json` keep JSON (ties too).
 */
export function prefersHtml(accept: string | undefined): boolean {
  let html = 0;
  let json = 0;
  for (const range of (accept ?? '').split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (!Number.isFinite(weight)) continue;
    if (type === 'text/html' || type === 'application/xhtml+xml') html = Math.max(html, weight);
    if (type === 'application/json' || type === 'application/*' || type === '*/*') json = Math.max(json, weight);
  }
  return html > json;
}

/** The browser's confirmation page after `201 {number, statusUrl}`, or `202` without them (no ticket opened). */
export function confirmationResponse(
  page: TicketFormPage,
  locale: string | null,
  answer: { number: number | null; statusUrl: string | null },
): HttpResponse {
  const status = answer.number === null ? 202 : 201;
  return htmlResponse(status, page.confirmation({ stylesheet: PAGE_STYLESHEET_PATH, locale, ...answer }), {
    logo: page.logo,
  });
}

/**
 * The form again, as the customer filled it (`posted`: the text fields of the form-encoded or
 * multipart body; the values escaped by the template; files are never sent back, a browser
 * cannot be given them): after a 400, or a 413 for too many files or a field over its limit,
 * with each error next to its field (an error on no field of the form, `body` or `queue`, shows
 * in the banner above it only), or with the banner alone after a 429 or a failure of ours, so
 * nothing typed is lost.
 */
export function formAgainResponse(
  page: TicketFormPage,
  posted: Readonly<Record<string, string>>,
  errors: readonly FieldError[],
  refusal: FormRefusal = { kind: 'fields' },
  status = 400,
  headers: Record<string, string> = {},
) {
  const given = (name: string): string | null => (Object.hasOwn(posted, name) ? posted[name]! : null);
  const values: Partial<Record<FormField, string>> = {};
  const byField: Partial<Record<FormField, string>> = {};
  let filesError: string | undefined;
  for (const field of FORM_FIELDS) values[field] = given(field) ?? '';
  for (const error of errors) {
    const field = FORM_FIELDS.find((known) => known === error.field);
    if (field !== undefined) byField[field] = error.message;
    if (error.field === ATTACHMENTS_FIELD) filesError = error.message;
  }
  const html = page.form({
    action: FORM_ACTION,
    stylesheet: PAGE_STYLESHEET_PATH,
    locale: given('locale'),
    queue: given('queue') ?? '',
    values,
    errors: byField,
    ...(filesError === undefined ? {} : { filesError }),
    refusal,
  });
  return htmlResponse(status, html, { headers, logo: page.logo });
}

/** The page a browser gets for each refusal the ticket API answers in JSON before reading any field. */
const PROBLEM_OF: Readonly<Record<number, FormProblem>> = { 403: 'foreign', 413: 'tooLarge', 415: 'unsupported' };

/**
 * What a browser posting the hosted form gets instead of the ticket API's JSON refusals: a page
 * saying why, in its language (the posted `locale` when the body could be read, else its
 * Accept-Language), with a link back to the form, for what it cannot fix by editing (403, 413,
 * 415); the form again with what was typed and a banner for a 429 (in how many minutes to try
 * again) and for our own failures (409, 422, 503). Other answers go as they are.
 */
export async function browserRefusal(
  page: TicketFormPage,
  policy: Policy,
  request: HttpRequest,
  answer: HttpResponse,
): Promise<HttpResponse> {
  // Already a page: the form again for refused fields or files (a 413 naming `attachments` included).
  if (answer.headers['content-type']?.startsWith('text/html')) return answer;
  const keep = { 'retry-after': answer.headers['retry-after'] ?? '' };
  const headers = keep['retry-after'] === '' ? {} : keep;
  if (answer.status === 429)
    return formAgainResponse(
      page,
      await postedTextFields(request),
      [],
      { kind: 'too-many', retryAfterSeconds: Number(answer.headers['retry-after'] ?? 60) },
      429,
      headers,
    );
  if (answer.status === 409 || answer.status === 422 || answer.status === 503)
    return formAgainResponse(page, await postedTextFields(request), [], { kind: 'busy' }, answer.status, headers);
  const problem = PROBLEM_OF[answer.status];
  if (problem === undefined) return answer;
  const posted = answer.status === 413 ? null : await postedTextFields(request);
  const locale = posted?.['locale'] || preferredLanguage(policy, request.headers['accept-language']);
  const back = new URLSearchParams();
  const queue = posted?.['queue'];
  if (queue) back.set('queue', queue);
  if (locale !== null) back.set('lang', locale);
  const formHref = `${FORM_PATH}${back.size > 0 ? `?${back}` : ''}`;
  return htmlResponse(answer.status, page.problem({ stylesheet: PAGE_STYLESHEET_PATH, locale, problem, formHref }), {
    headers: { ...answer.headers, 'content-type': 'text/html; charset=utf-8' },
    logo: page.logo,
  });
}

/** The policy's offered language the browser's Accept-Language prefers (`pt` takes `pt-BR`), or null. */
export function preferredLanguage(policy: Policy, acceptLanguage: string | undefined): string | null {
  if (acceptLanguage === undefined) return null;
  return (
    new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language([...policy.languages.offered]) ?? null
  );
}
