import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through HTTP proxy in front of DynamoDB Local or moto_server that counts the AWS API
 * calls going through it, by service and operation, as they go over the wire. The bundled
 * function builds its own SDK clients, so a middleware cannot be put on them from outside;
 * pointing its AWS_ENDPOINT_URL_* here counts exactly what it sends, retries included.
 * Bodies are streamed, never read: a 25 MB GetObject passes as it came.
 */
export interface RequestTally {
  /** `http://127.0.0.1:<port>`: the endpoint to give the function. */
  readonly endpoint: string;
  /** Calls since the last `take`, `dynamodb TransactWriteItems` → count; resets the count. */
  take(): Map<string, number>;
  close(): Promise<void>;
}

/**
 * The call a request is: JSON protocols (DynamoDB, Secrets Manager) name it in X-Amz-Target;
 * REST ones (S3, SES v2, Scheduler) by method and the path's first segment, the service read
 * from the signature's credential scope (`…/<region>/<service>/aws4_request`).
 */
export const callName = (method: string, path: string, headers: Record<string, string | string[] | undefined>) => {
  const authorization = String(headers['authorization'] ?? '');
  const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(authorization)?.[1] ?? 'unknown';
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return `${service} ${target.slice(target.indexOf('.') + 1)}`;
  const resource = path.split('?')[0]!.split('/').filter(Boolean);
  if (service === 's3') return `s3 ${method} ${resource.length > 1 ? 'object' : 'bucket'}`;
  // SES v2: /v2/email/outbound-emails; Scheduler: /schedules/<name>, /schedule-groups/<name>.
  const named = resource[0] === 'v2' ? resource.slice(0, 3).join('/') : (resource[0] ?? '');
  return `${service} ${method} ${named}`;
};

export async function startRequestTally(upstream: string): Promise<RequestTally> {
  const target = new URL(upstream);
  let calls = new Map<string, number>();
  const server: Server = createServer((incoming, outgoing) => {
    const name = callName(incoming.method ?? 'GET', incoming.url ?? '/', incoming.headers);
    calls.set(name, (calls.get(name) ?? 0) + 1);
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        // The signature covers the host header: keep the one the client signed.
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', (error) => {
      outgoing.writeHead(502).end(String(error));
    });
    incoming.pipe(forwarded);
  });
  // The SDK keeps connections alive; so does Lambda's: keep them open as long as it does.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    take: () => {
      const taken = calls;
      calls = new Map();
      return taken;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
