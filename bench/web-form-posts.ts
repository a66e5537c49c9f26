/**
 * What the web-form benchmark posts and how: distinct customers' tickets in English, Spanish
 * and Portuguese (the ingest benchmark's people, subjects and words), JSON bodies signed with
 * ATENDE_WEBFORM_SECRET as a company's backend would sign them, sent over keep-alive sockets.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BODIES, DOMAINS, LANGUAGES, type Language, NAMES, SUBJECTS, seededRandom } from './ingest-mail-generator.ts';

/** One post's fields, as POST /tickets reads them. */
export interface PlannedPost {
  readonly name: string;
  readonly email: string;
  readonly subject: string;
  readonly message: string;
  readonly locale: string;
}

/** The locale a customer of each language names in the form (the policy speaks en, es and pt-BR). */
const LOCALES: Record<Language, string> = { en: 'en', es: 'es', pt: 'pt-BR' };

/**
 * `count` posts, each from an address of its own (`<run>-<n>@…`): the per-address limit (10 an
 * hour) and duplicate detection never come into play, so what is measured is opening tickets.
 */
export function planPosts(options: { run: string; count: number; seed: number }): PlannedPost[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: options.count }, (_, index) => {
    const language = pick(LANGUAGES);
    const name = pick(NAMES[language]);
    return {
      name,
      email: `${options.run}-${index}@${pick(DOMAINS)}`,
      subject: `${pick(SUBJECTS[language])} (${options.run} ${index})`,
      message: `${pick(BODIES[language])}\n${name}`,
      locale: LOCALES[language],
    };
  });
}

/** What one post got back: its status (0: no answer), the ticket number of a 201, and the time it took. */
export interface PostAnswer {
  readonly status: number;
  readonly number: number | null;
  readonly ms: number;
}

/**
 * POSTs JSON bodies to `<base>/tickets` over at most `sockets` keep-alive connections, each body
 * signed (`X-Atende-Signature: sha256=<hex HMAC-SHA256 of the body>`). Signed posts are a
 * backend's and skip the per-IP limit (ticket-api.ts): no bench-only switch in the stack.
 */
export class SignedTicketPoster {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(
    base: string,
    private readonly secret: string,
    sockets: number,
  ) {
    this.url = new URL('/tickets', base);
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  post(fields: PlannedPost): Promise<PostAnswer> {
    const body = Buffer.from(JSON.stringify(fields), 'utf8');
    const signature = `sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`;
    const started = performance.now();
    return new Promise((resolve) => {
      const outgoing = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': String(body.length),
            'x-atende-signature': signature,
          },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            const status = incoming.statusCode ?? 0;
            resolve({ status, number: status === 201 ? numberOf(Buffer.concat(chunks)) : null, ms: elapsed() });
          });
          incoming.on('error', () => resolve({ status: 0, number: null, ms: elapsed() }));
        },
      );
      const elapsed = () => performance.now() - started;
      outgoing.on('error', () => resolve({ status: 0, number: null, ms: elapsed() }));
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The `number` of a 201's `{number, statusUrl}`, or null when the answer is not that shape. */
const numberOf = (body: Buffer): number | null => {
  try {
    const answer: unknown = JSON.parse(body.toString('utf8'));
    return typeof answer === 'object' && answer !== null && 'number' in answer && typeof answer.number === 'number'
      ? answer.number
      : null;
  } catch {
    return null;
  }
};
