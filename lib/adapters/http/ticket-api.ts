import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestCounters } from '../../application/ports/request-counters.ts';
import { type SubmitWebFormDeps, submitWebForm, type WebFormOutcome } from '../../application/submit-web-form.ts';
import { isAtendeError } from '../../domain/atende-error.ts';
import type { TicketFormPage } from '../templates/ticket-form-page.ts';
import { browserRefusal, confirmationResponse, formAgainResponse, prefersHtml } from './hosted-form.ts';
import { type HttpRequest, type HttpResponse, type HttpRoute, jsonResponse } from './http-exchange.ts';
import { bodyLimitFor, readTicketSubmission, SUBMISSION_CONTENT_TYPES } from './ticket-submission.ts';

export const TICKETS_PATH = '/tickets';

export interface TicketApiOptions {
  readonly deps: SubmitWebFormDeps;
  readonly counters: RequestCounters;
  /** Origins a browser may post from (`ATENDE_CORS_ORIGINS` and the deployment's own), as `scheme://host[:port]`. */
  readonly corsOrigins: readonly string[];
  /** `ATENDE_WEBFORM_SECRET`: when set, every post must carry `X-Atende-Signature: sha256=<hex HMAC of the body>`. */
  readonly signatureSecret: string | null;
  readonly log?: (line: string) => void;
  /** The hosted form: when given, a browser's post (Accept prefers text/html) gets its answers as pages (hosted-form.ts). */
  readonly form?: TicketFormPage;
}

/** A policy's web-form limit (`webForm.perAddress`, `webForm.perIp`): tickets per period in minutes. */
interface RequestLimit {
  readonly tickets: number;
  readonly per: number;
}

const ALLOWED_HEADERS = 'content-type, idempotency-key, x-atende-signature';
const MAX_IDEMPOTENCY_KEY = 255;

const fieldErrors = (status: number, field: string, message: string, headers: Record<string, string> = {}) =>
  jsonResponse(status, { errors: [{ field, message }] }, headers);

/**
 * `POST /tickets`: a web-form post (JSON, form-encoded, or multipart with files) opens a ticket,
 * `201 {number, statusUrl}`. In order: CORS (a browser's Origin must be configured), the body
 * limit of its type (413), the signature when a secret is set (401), the content type (415), the
 * fields (400, each named; 413 naming a field or `attachments` over its limit), the per-IP
 * and per-address limits of the policy's `webForm` (429 with Retry-After; the per-IP one not for
 * signed posts: a company's backend posts for all its customers from one address), then submitWebForm (422 for a reused
 * Idempotency-Key with other words). A filled honeypot is a 400 naming it: a person who sees the
 * field (no stylesheet, a screen reader) reads "leave this empty" next to it and can fix it.
 */
export function ticketApiRoute(options: TicketApiOptions): HttpRoute {
  return async (request) => {
    if (request.path !== TICKETS_PATH) return null;
    const origin = request.headers['origin'] ?? null;
    const allowed = origin !== null && options.corsOrigins.includes(origin);
    const cors: Record<string, string> = allowed
      ? { 'access-control-allow-origin': origin, vary: 'origin', 'access-control-expose-headers': 'retry-after' }
      : { vary: 'origin' };
    if (request.method === 'OPTIONS') {
      const preflight: Record<string, string> = allowed
        ? {
            'access-control-allow-methods': 'POST',
            'access-control-allow-headers': ALLOWED_HEADERS,
            'access-control-max-age': '600',
          }
        : {};
      return { status: 204, headers: { ...cors, ...preflight, 'cache-control': 'no-store' }, body: '' };
    }
    if (request.method !== 'POST') return jsonResponse(405, { errors: [] }, { allow: 'POST, OPTIONS' });
    const json = await answerPost(options, request, origin !== null && !allowed);
    const answer =
      options.form !== undefined && prefersHtml(request.headers['accept'])
        ? await browserRefusal(options.form, options.deps.policy, request, json)
        : json;
    return { ...answer, headers: { ...answer.headers, ...cors } };
  };
}

async function answerPost(
  options: TicketApiOptions,
  request: HttpRequest,
  foreignOrigin: boolean,
): Promise<HttpResponse> {
  const { deps } = options;
  // A plain HTML form on another site needs no preflight: its posts are refused here.
  if (foreignOrigin) return fieldErrors(403, 'origin', 'This origin may not post tickets.');
  const bodyLimit = bodyLimitFor(request.headers['content-type']);
  if (request.body.length > bodyLimit) {
    return fieldErrors(413, 'body', `The request body is larger than ${bodyLimit} bytes.`);
  }
  const signed = options.signatureSecret !== null;
  if (signed && !signatureMatches(options.signatureSecret!, request)) {
    return fieldErrors(401, 'x-atende-signature', 'The request is not signed with the configured secret.');
  }
  const reading = await readTicketSubmission(deps.policy, request);
  if (reading.kind === 'unsupported-type') {
    return fieldErrors(415, 'content-type', `Send ${SUBMISSION_CONTENT_TYPES.join(' or ')}.`, {
      'accept-post': SUBMISSION_CONTENT_TYPES.join(', '),
    });
  }
  const browser = options.form !== undefined && prefersHtml(request.headers['accept']) ? options.form : null;
  if (reading.kind === 'invalid' || reading.kind === 'too-large') {
    const status = reading.kind === 'invalid' ? 400 : 413;
    return browser !== null
      ? formAgainResponse(browser, reading.posted, reading.errors, { kind: 'fields' }, status)
      : jsonResponse(status, { errors: reading.errors });
  }
  const idempotencyKey = request.headers['idempotency-key']?.trim() || null;
  if (idempotencyKey !== null && idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
    return fieldErrors(400, 'idempotency-key', `An Idempotency-Key has at most ${MAX_IDEMPOTENCY_KEY} characters.`);
  }
  const now = deps.clock.now();
  const limits: [string, RequestLimit][] = [[`address:${reading.submission.email}`, deps.policy.webForm.perAddress]];
  if (!signed && request.sourceIp !== null) limits.unshift([`ip:${request.sourceIp}`, deps.policy.webForm.perIp]);
  for (const [name, limit] of limits) {
    const windowMs = limit.per * 60_000;
    const windowEndsAt = (Math.floor(now / windowMs) + 1) * windowMs;
    if ((await options.counters.increment(name, windowEndsAt)) > limit.tickets) {
      const retryAfter = String(Math.max(1, Math.ceil((windowEndsAt - now) / 1000)));
      return fieldErrors(429, name.startsWith('ip:') ? 'body' : 'email', 'Too many tickets; try again later.', {
        'retry-after': retryAfter,
      });
    }
  }
  let outcome: WebFormOutcome;
  try {
    outcome = await submitWebForm(deps, { submission: reading.submission, files: reading.files, idempotencyKey });
  } catch (error) {
    if (isAtendeError(error, 'web.idempotencyConflict')) {
      return fieldErrors(422, 'idempotency-key', 'This Idempotency-Key was used for another submission.');
    }
    if (isAtendeError(error, 'inbound.inProgress')) {
      return fieldErrors(409, 'idempotency-key', 'This submission is still being processed.', { 'retry-after': '5' });
    }
    options.log?.(`POST /tickets: ${error instanceof Error ? error.message : String(error)}`);
    return fieldErrors(503, 'body', 'The ticket could not be opened now; try again later.', { 'retry-after': '30' });
  }
  const answer =
    outcome.outcome === 'opened'
      ? { number: outcome.number, statusUrl: outcome.statusUrl }
      : { number: null, statusUrl: null };
  if (browser !== null) return confirmationResponse(browser, reading.submission.locale, answer);
  return jsonResponse(answer.number === null ? 202 : 201, answer);
}

/** `sha256=<hex>` of the body's HMAC-SHA256 with the secret, compared in constant time. */
function signatureMatches(secret: string, request: HttpRequest): boolean {
  const given = Buffer.from(request.headers['x-atende-signature'] ?? '', 'utf8');
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
