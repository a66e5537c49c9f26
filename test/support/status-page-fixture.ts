import type { HttpRequest, HttpResponse } from '../../lib/adapters/http/http-exchange.ts';
import { statusPageRoute } from '../../lib/adapters/http/status-page.ts';
import { TicketStatusPage } from '../../lib/adapters/templates/ticket-status-page.ts';
import type { StatusPageDeps } from '../../lib/application/customer-status-page.ts';
import type { TicketStore } from '../../lib/application/ports/ticket-store.ts';
import type { SignedStatusLinks } from '../../lib/application/signed-status-links.ts';
import { AUTHENTICATED, pipeline, ticketNumberOf } from './ingest-pipeline.ts';
import type { TestAttachment } from './mail-builder.ts';

/** A request as a carrier hands it to a route. */
export const httpRequest = (
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string> } = {},
): HttpRequest => {
  const [pathname, query = ''] = path.split('?', 2) as [string, string?];
  return {
    method,
    path: pathname,
    query: new URLSearchParams(query),
    headers: options.headers ?? {},
    body: Buffer.from(options.body ?? '', 'utf8'),
    sourceIp: '192.0.2.1',
  };
};

export const formPost = (path: string, fields: Record<string, string>): HttpRequest =>
  httpRequest('POST', path, {
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

export const bodyOf = (response: HttpResponse | null): string => {
  if (response === null) throw new Error('the route did not answer');
  return response.body.toString();
};

/**
 * The in-memory pipeline with one ticket opened by mail, the status page route over it, and the
 * path of the status link its acknowledgement carries.
 */
export async function statusPageFixture(
  mail: {
    subject?: string;
    text?: string;
    store?: TicketStore;
    attachments?: readonly TestAttachment[];
    /** The route's download limit (a Lambda's answer limit), when not unlimited. */
    fileMaxBytes?: number;
  } = {},
) {
  const setup = pipeline('default.yaml', mail.store ? { store: mail.store } : {});
  const number = ticketNumberOf(
    await setup.receive({
      subject: mail.subject ?? 'Invoice missing',
      text: mail.text ?? 'Where is my invoice for March? I need it for the accounts.',
      ...(mail.attachments ? { attachments: mail.attachments } : {}),
    }),
  );
  const ack = setup.sentTo('ana@customer.example')[0]!;
  const link = /https:\/\/support\.example\.test(\/t\/[^\s"<>]+)/.exec(ack.text)?.[1];
  if (!link) throw new Error('no status link in the acknowledgement');
  const deps: StatusPageDeps = { ...setup.deps, statusTokens: setup.deps.statusLinks as SignedStatusLinks };
  const page = await TicketStatusPage.load(setup.policy);
  const route = statusPageRoute({
    deps,
    page,
    ...(mail.fileMaxBytes === undefined ? {} : { fileMaxBytes: mail.fileMaxBytes }),
  });
  /** An agent answers the agents' notification by mail, authenticated. */
  const agentAnswers = async (text: string, attachments?: readonly TestAttachment[]) => {
    const notice = setup.sentTo('servicedesk-agents@example.com')[0]!;
    await setup.receive(
      {
        from: 'Carla Agent <carla@example.com>',
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        text,
        ...(attachments ? { attachments } : {}),
      },
      { verdicts: AUTHENTICATED },
    );
  };
  return { ...setup, number, link, route, agentAnswers };
}
