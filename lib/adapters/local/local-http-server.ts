import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type HttpRequest, type HttpRoute, MAX_REQUEST_BODY_BYTES } from '../http/http-exchange.ts';
import { answerSurveyRequest, SURVEY_PATH_PREFIX, type SurveyRoute } from './survey-http.ts';

/** A part of the local stack and whether it answers right now. */
export type HealthCheck = () => Promise<boolean>;

export interface LocalHttpServer {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The local stack's HTTP side: `GET /health` answers 200 with every part's state when all of
 * them are ready, 503 otherwise; `GET|POST /survey/<token>` answers the satisfaction survey
 * (survey-http.ts) when the survey route is given; any other request is offered to `routes` in
 * order (HttpRoutes, as the Lambda carries them), its body read up to MAX_REQUEST_BODY_BYTES
 * (413 beyond).
 */
export async function startLocalHttpServer(options: {
  port: number;
  host?: string;
  checks: Readonly<Record<string, HealthCheck>>;
  survey?: SurveyRoute;
  routes?: readonly HttpRoute[];
}): Promise<LocalHttpServer> {
  const server = createServer((request, response) => {
    void route(request, response, options).catch(() => {
      if (!response.headersSent) send(response, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: { checks: Readonly<Record<string, HealthCheck>>; survey?: SurveyRoute; routes?: readonly HttpRoute[] },
): Promise<void> {
  const { checks } = options;
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (options.survey && path.startsWith(SURVEY_PATH_PREFIX)) {
    await answerSurveyRequest(options.survey, request, response, path);
    return;
  }
  if (request.method === 'GET' && path === '/health') {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
    );
    const parts = Object.fromEntries(entries.map(([name, ready]) => [name, ready ? 'ready' : 'unavailable']));
    const healthy = entries.every(([, ready]) => ready);
    send(response, healthy ? 200 : 503, { status: healthy ? 'ok' : 'degraded', parts });
    return;
  }
  if (options.routes && options.routes.length > 0) {
    const body = await readBody(request, MAX_REQUEST_BODY_BYTES);
    if (body === null) {
      response.setHeader('connection', 'close');
      send(response, 413, {
        errors: [{ field: 'body', message: `The request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes.` }],
      });
      return;
    }
    const exchange = httpRequest(request, path, body);
    for (const candidate of options.routes) {
      const answer = await candidate(exchange);
      if (answer === null) continue;
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
      return;
    }
  } else {
    request.resume();
  }
  send(response, 404, { error: `no route for ${request.method ?? 'GET'} ${path}` });
}

function httpRequest(request: IncomingMessage, path: string, body: Buffer): HttpRequest {
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    path,
    query: new URL(request.url ?? '/', 'http://localhost').searchParams,
    headers,
    body,
    sourceIp: request.socket.remoteAddress ?? null,
  };
}

/**
 * The body, or null once it is over `limit` bytes: told by Content-Length before anything is
 * read, or counted as it comes (then the rest is drained, memory staying at the limit).
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
