import * as z from 'zod';
import type { HttpRequest, HttpResponse } from '../http/http-exchange.ts';

/** The parts of an API Gateway HTTP API (payload 2.0) event a web route reads. */
export const ApiGatewayHttpEvent = z.object({
  rawPath: z.string(),
  rawQueryString: z.string().default(''),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.object({
    http: z.object({ method: z.string(), sourceIp: z.string().optional() }),
  }),
});
export type ApiGatewayHttpEvent = z.infer<typeof ApiGatewayHttpEvent>;

export function httpRequestFromApiGateway(event: ApiGatewayHttpEvent): HttpRequest {
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(event.headers)) headers[name.toLowerCase()] = value;
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString),
    headers,
    body: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8'),
    sourceIp: event.requestContext.http.sourceIp ?? null,
  };
}

/** What a payload-2.0 Lambda answers API Gateway. */
export interface ApiGatewayHttpResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

export function apiGatewayResult(response: HttpResponse): ApiGatewayHttpResult {
  const binary = Buffer.isBuffer(response.body);
  return {
    statusCode: response.status,
    headers: { ...response.headers },
    body: binary ? (response.body as Buffer).toString('base64') : (response.body as string),
    isBase64Encoded: binary,
  };
}
