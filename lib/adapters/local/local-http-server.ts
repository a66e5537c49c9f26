import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { HttpRoute } from '../http/http-exchange.ts';
import { answerWithRoutes } from './node-http-routes.ts';

/** A part of the local stack and whether it answers right now. */
export type HealthCheck = () => Promise<boolean>;

export interface LocalHttpServer {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The local stack's HTTP side: `GET /health` answers 200 with every part's state when all of
 * them are ready, 503 otherwise; the HttpRoutes given (the ticket API, the status and survey
 * pages …) are tried before it.
 */
export async function startLocalHttpServer(options: {
  port: number;
  host?: string;
  checks: Readonly<Record<string, HealthCheck>>;
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
  options: { checks: Readonly<Record<string, HealthCheck>>; routes?: readonly HttpRoute[] },
): Promise<void> {
  const { checks } = options;
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path !== '/health' && (await answerWithRoutes(options.routes ?? [], request, response))) return;
  if (request.method === 'GET' && path === '/health') {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
    );
    const parts = Object.fromEntries(entries.map(([name, ready]) => [name, ready ? 'ready' : 'unavailable']));
    const healthy = entries.every(([, ready]) => ready);
    send(response, healthy ? 200 : 503, { status: healthy ? 'ok' : 'degraded', parts });
    return;
  }
  send(response, 404, { error: `no route for ${request.method ?? 'GET'} ${path}` });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
