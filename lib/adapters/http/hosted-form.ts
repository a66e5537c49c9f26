import type { Policy } from '../../domain/policy/policy-schema.ts';
import { FORM_FIELDS, type FormField, type TicketFormPage } from '../templates/ticket-form-page.ts';
import { htmlResponse, PAGE_STYLESHEET_PATH } from './html-page.ts';
import type { HttpResponse, HttpRoute } from './http-exchange.ts';
import { ATTACHMENTS_FIELD, type FieldError } from './ticket-submission.ts';

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
      return htmlResponse(404, route.page.missing({ stylesheet: PAGE_STYLESHEET_PATH, locale }));
    }
    const html = route.page.form({ action: FORM_ACTION, stylesheet: PAGE_STYLESHEET_PATH, locale, queue });
    return htmlResponse(200, request.method === 'HEAD' ? '' : html);
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
  return htmlResponse(status, page.confirmation({ stylesheet: PAGE_STYLESHEET_PATH, locale, ...answer }));
}

/**
 * The form again after a 400 (or a 413: too many files, a field over its limit), as the customer
 * filled it (the values escaped by the template; files are never sent back, a browser cannot be
 * given them), each error next to its field. An error on no field of the form (`body`, `queue`)
 * shows in the banner above it only.
 */
export function formAgainResponse(
  page: TicketFormPage,
  posted: Readonly<Record<string, string>>,
  errors: readonly FieldError[],
  status = 400,
) {
  const given = (name: string): string | null => (Object.hasOwn(posted, name) ? posted[name]! : null);
  const values: Partial<Record<FormField, string>> = {};
  const byField: Partial<Record<FormField, string>> = {};
  for (const field of FORM_FIELDS) values[field] = given(field) ?? '';
  let filesError: string | undefined;
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
    failed: errors.length > 0,
  });
  return htmlResponse(status, html);
}
