import { describe, expect, it } from 'vitest';
import {
  ApiGatewayHttpEvent,
  apiGatewayResult,
  httpRequestFromApiGateway,
} from '../../../lib/adapters/aws-events/api-gateway-http-event.ts';

const event = (overrides: Record<string, unknown> = {}) =>
  ApiGatewayHttpEvent.parse({
    rawPath: '/tickets',
    rawQueryString: 'lang=pt-BR',
    headers: { 'Content-Type': 'application/json' },
    body: Buffer.from('{"name":"Ana"}').toString('base64'),
    isBase64Encoded: true,
    requestContext: { http: { method: 'post', sourceIp: '198.51.100.7' } },
    ...overrides,
  });

describe('the API Gateway HTTP API event as an HttpRequest', () => {
  it('decodes a base64 body and lower-cases header names and the method', () => {
    const request = httpRequestFromApiGateway(event());

    expect(request.body.toString('utf8')).toBe('{"name":"Ana"}');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.method).toBe('POST');
    expect(request.query.get('lang')).toBe('pt-BR');
    expect(request.sourceIp).toBe('198.51.100.7');
  });

  it('takes a plain body as UTF-8, and an absent one as empty', () => {
    expect(httpRequestFromApiGateway(event({ body: 'Olá', isBase64Encoded: false })).body.toString()).toBe('Olá');
    expect(httpRequestFromApiGateway(event({ body: undefined })).body.length).toBe(0);
  });

  it('refuses what is not an HTTP API event', () => {
    expect(ApiGatewayHttpEvent.safeParse({ Records: [] }).success).toBe(false);
  });

  it('answers a Buffer body base64-encoded and a string as it is', () => {
    expect(apiGatewayResult({ status: 200, headers: {}, body: Buffer.from('x') })).toMatchObject({
      body: 'eA==',
      isBase64Encoded: true,
    });
    expect(apiGatewayResult({ status: 201, headers: { a: 'b' }, body: '{}' })).toEqual({
      statusCode: 201,
      headers: { a: 'b' },
      body: '{}',
      isBase64Encoded: false,
    });
  });
});
