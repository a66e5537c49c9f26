import { awsWebFormRoutes } from '../lib/adapters/aws/aws-web-form-dependencies.ts';
import { lambdaTelemetry } from '../lib/adapters/aws/lambda-telemetry.ts';
import {
  ApiGatewayHttpEvent,
  type ApiGatewayHttpResult,
  apiGatewayResult,
  httpRequestFromApiGateway,
} from '../lib/adapters/aws-events/api-gateway-http-event.ts';
import type { HttpRoute } from '../lib/adapters/http/http-exchange.ts';
import { jsonResponse } from '../lib/adapters/http/http-exchange.ts';

/**
 * API Gateway's HTTP API (payload 2.0) → the web routes (aws-web-form-dependencies.ts): POST
 * /tickets, GET /form, the status page /t/…, the survey page /survey/…, the stylesheet. A
 * malformed event is a 400; a request no route takes, a 404. The routes answer every input
 * themselves, never a 5xx for what a client sent.
 */
let routes: Promise<readonly HttpRoute[]> | undefined;

/** Each invocation's log lines carry its request id; the tickets it opens are counted when it ends. */
export const handler = (event: unknown, context?: unknown): Promise<ApiGatewayHttpResult> =>
  lambdaTelemetry.invocation(context, () => respond(event));

const respond = async (event: unknown): Promise<ApiGatewayHttpResult> => {
  const parsed = ApiGatewayHttpEvent.safeParse(event);
  if (!parsed.success) {
    lambdaTelemetry.logger.error('web.invalidEvent', { code: 'web.invalidEvent' });
    return apiGatewayResult(jsonResponse(400, { errors: [{ field: 'body', message: 'Not an HTTP API event.' }] }));
  }
  routes ??= awsWebFormRoutes(process.env);
  const request = httpRequestFromApiGateway(parsed.data);
  for (const route of await routes) {
    const answer = await route(request);
    if (answer) return apiGatewayResult(answer);
  }
  return apiGatewayResult(jsonResponse(404, { errors: [{ field: 'path', message: `No route for ${request.path}` }] }));
};
