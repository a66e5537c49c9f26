/**
 * One HTTP request and its answer, as atende's web routes (the ticket API, the form, the status
 * and survey pages) see them, whoever carries them: API Gateway's HTTP API (an APIGatewayProxy
 * v2 event, in the Lambda) or the local stack's HTTP server. Routes are written once against
 * these shapes; each carrier only converts.
 */
export interface HttpRequest {
  /** Upper case: `GET`, `POST` … */
  readonly method: string;
  /** The path without the query string, percent-decoding left to the route (a token may hold `%`). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased names; a repeated header joined with `, ` as Node and API Gateway both do. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as received (API Gateway's base64 already decoded), at most the carrier's limit. */
  readonly body: Buffer;
  /** The client's address (API Gateway's `requestContext.http.sourceIp`, the socket's locally); null when unknown. */
  readonly sourceIp: string | null;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

/** A web route: its answer, or null when the request is not its to answer (the next route tries). */
export type HttpRoute = (request: HttpRequest) => Promise<HttpResponse | null>;

/**
 * The most a request body may weigh before any route reads it: API Gateway's HTTP API takes
 * 10 MB payloads; the local server refuses larger ones with 413 the same way. Routes enforce
 * their own, smaller limits.
 */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/** A JSON answer (errors included), never cached. */
export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});
