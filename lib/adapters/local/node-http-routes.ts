import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HttpRequest, type HttpRoute, jsonResponse, MAX_REQUEST_BODY_BYTES } from '../http/http-exchange.ts';
import { readBody } from './request-body.ts';

/**
 * Carries a Node request to HttpRoutes (http-exchange.ts) and writes the first answer; false when
 * none answers (the server's own routes, then 404). A body over MAX_REQUEST_BODY_BYTES is refused
 * with 413 before any route reads it, as API Gateway does.
 */
export async function answerWithRoutes(
  routes: readonly HttpRoute[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  if (routes.length === 0) return false;
  const url = new URL(request.url ?? '/', 'http://localhost');
  const body = await readBody(request, MAX_REQUEST_BODY_BYTES);
  if (body === null) {
    const answer = jsonResponse(413, {
      errors: [{ field: 'body', message: `The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes.` }],
    });
    response.writeHead(answer.status, { ...answer.headers, connection: 'close' });
    response.end(answer.body);
    return true;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const exchange: HttpRequest = {
    method: (request.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers,
    body,
    sourceIp: request.socket.remoteAddress ?? null,
  };
  for (const route of routes) {
    const answer = await route(exchange);
    if (answer === null) continue;
    response.writeHead(answer.status, answer.headers);
    response.end(exchange.method === 'HEAD' ? undefined : answer.body);
    return true;
  }
  return false;
}
