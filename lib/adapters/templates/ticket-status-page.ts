import * as z from 'zod';
import type { StatusPageOutcome } from '../../application/customer-status-page.ts';
import { customerDownload } from '../../domain/attachments/customer-downloads.ts';
import { tagSubject } from '../../domain/mail/subject.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import type { Ticket, TicketMessage } from '../../domain/ticket/ticket.ts';
import { PageTemplate } from './page-template.ts';

/** Why the page shows a problem instead of (or above) the ticket. */
export const STATUS_PAGE_PROBLEMS = [
  'invalid',
  'expired',
  'refused',
  'too-large',
  'empty',
  'failed',
  'no-file',
] as const;
export type StatusPageProblem = (typeof STATUS_PAGE_PROBLEMS)[number];
export const STATUS_PAGE_NOTICES = ['replied', 'closed'] as const;
export type StatusPageNotice = (typeof STATUS_PAGE_NOTICES)[number];

/** The most a reply from the page may hold, in characters (a long mail's worth). */
export const STATUS_REPLY_MAX_CHARS = 20_000;

const text = z.string().min(1);
const Problem = z.strictObject({ heading: text, explanation: text });
const Words = z.strictObject({
  title: text,
  number: text,
  subject: text,
  status: text,
  firstAnswerDue: text,
  resolutionDue: text,
  conversation: text,
  you: text,
  participant: text,
  attachments: text,
  /** Why a listed file has no download link. */
  fileNotes: z.strictObject({ dangerous: text, 'not-stored': text, 'too-large': text }),
  replyHeading: text,
  replyLabel: text,
  send: text,
  closeHeading: text,
  closeExplanation: text,
  close: text,
  closedNote: text,
  notices: z.strictObject({ replied: text, closed: text }),
  problems: z.strictObject(
    Object.fromEntries(STATUS_PAGE_PROBLEMS.map((problem) => [problem, Problem])) as Record<
      StatusPageProblem,
      typeof Problem
    >,
  ),
});
type Words = z.infer<typeof Words>;

export interface StatusPageRender {
  readonly outcome: StatusPageOutcome;
  /** Where the page's forms post: `/t/<token>`, to which `/reply` and `/close` are added. */
  readonly action: string;
  readonly stylesheet: string;
  readonly notice?: StatusPageNotice | null;
  /** A problem shown above the ticket (a reply too long or empty) or instead of it (a bad link). */
  readonly problem?: StatusPageProblem | null;
  /** The largest file offered as a download link (customerDownload); default: no limit. */
  readonly fileMaxBytes?: number;
}

/**
 * The ticket's status page for its requester (templates/_pages/ticket-status.*), in the ticket's
 * language: the facts, the customer's side of the conversation as stored (redacted), a reply form
 * and the close button. Every value goes through `{{ }}`: a hostile subject or message is text.
 */
export class TicketStatusPage {
  private constructor(
    private readonly page: PageTemplate<Words>,
    private readonly policy: Policy,
  ) {}

  static async load(policy: Policy, directory?: string): Promise<TicketStatusPage> {
    const page = await PageTemplate.load({
      name: 'ticket-status',
      words: Words,
      sample: sampleData,
      ...(directory === undefined ? {} : { directory }),
    });
    return new TicketStatusPage(page, policy);
  }

  render(view: StatusPageRender): string {
    const { outcome } = view;
    const locale =
      outcome.outcome === 'shown' ? outcome.ticket.locale : outcome.outcome === 'expired' ? outcome.locale : null;
    const { lang, words } = this.page.language([locale, this.policy.languages.default]);
    const problem =
      outcome.outcome === 'shown'
        ? (view.problem ?? null)
        : (view.problem ?? (outcome.outcome === 'expired' ? 'expired' : 'invalid'));
    const base = {
      lang,
      words,
      brand: this.policy.brand.name,
      logo: this.policy.brand.logo ?? null,
      stylesheet: view.stylesheet,
      problem: problem === null ? null : words.problems[problem],
    };
    if (outcome.outcome !== 'shown') return this.page.render({ ...base, ticket: null });
    const { ticket } = outcome;
    const zone = this.timeZone(ticket);
    const when = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: zone });
    const labels = this.policy.statuses[ticket.status];
    return this.page.render({
      ...base,
      notice: view.notice ? words.notices[view.notice] : null,
      ticket: {
        number: ticket.number,
        tag: tagSubject('', this.policy.brand.tag, ticket.number).trim(),
        subject: ticket.subject,
        status: labels[lang] ?? labels[this.policy.languages.default] ?? ticket.status,
      },
      due: dueOf(ticket, words, when),
      messages: outcome.conversation.map((message) =>
        this.message(message, ticket, words, when, {
          path: `${view.action}/files`,
          maxBytes: view.fileMaxBytes ?? Number.POSITIVE_INFINITY,
        }),
      ),
      reply: outcome.mayReply
        ? {
            action: `${view.action}/reply`,
            maxChars: STATUS_REPLY_MAX_CHARS,
            error: problem === 'empty' || problem === 'too-large' ? words.problems[problem].heading : null,
          }
        : null,
      close: outcome.mayClose ? { action: `${view.action}/close` } : null,
    });
  }

  private message(
    message: TicketMessage,
    ticket: Ticket,
    words: Words,
    when: Intl.DateTimeFormat,
    files: { readonly path: string; readonly maxBytes: number },
  ) {
    const ours = message.direction === 'outbound';
    // A participant's address is theirs, not the requester's to see: they are named by role.
    const author = ours ? this.policy.brand.name : message.from === ticket.requester ? words.you : words.participant;
    return {
      ours,
      author,
      iso: message.at,
      when: when.format(new Date(message.at)),
      text: message.text,
      // The index is the file's place among all of the message's, inline ones included: the link names it.
      attachments: message.attachments.flatMap((attachment, index) => {
        const download = customerDownload(attachment, files.maxBytes);
        if (download === 'inline') return [];
        return [
          {
            name: attachment.filename ?? attachment.contentType,
            size: sizeText(attachment.size),
            href: download === 'offered' ? `${files.path}/${message.sequence}/${index}` : null,
            note: download === 'offered' ? null : words.fileNotes[download],
          },
        ];
      }),
    };
  }

  private timeZone(ticket: Ticket): string {
    const calendar = this.policy.queues.find((queue) => queue.name === ticket.queue)?.calendar;
    return (calendar && this.policy.calendars[calendar]?.timeZone) || 'UTC';
  }
}

/** The next answer the customer waits for: the first response while none came, else the resolution; none once it is theirs to answer or done. */
function dueOf(ticket: Ticket, words: Words, when: Intl.DateTimeFormat) {
  if (['waiting-on-customer', 'resolved', 'closed'].includes(ticket.status)) return null;
  const first = ticket.firstRespondedAt === null ? ticket.firstResponseDue : null;
  const [label, at] = first !== null ? [words.firstAnswerDue, first] : [words.resolutionDue, ticket.resolutionDue];
  return at === null ? null : { label, iso: at, text: when.format(new Date(at)) };
}

const sizeText = (bytes: number): string =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${Math.ceil(bytes / 1024)} KB`
      : `${(bytes / 1048576).toFixed(1)} MB`;

/** Every field the template may read. */
const sampleData = (words: Words) => ({
  lang: 'en',
  words,
  brand: 'Atende',
  logo: 'https://cdn.example.test/logo.svg',
  stylesheet: '/pages/page.css',
  problem: words.problems.empty,
  notice: words.notices.replied,
  ticket: { number: 1, tag: '[Atende #1]', subject: 'subject', status: 'Open' },
  due: { label: words.firstAnswerDue, iso: '2026-01-01T00:00:00Z', text: '1 January 2026' },
  messages: [
    {
      ours: true,
      author: 'Atende',
      iso: '2026-01-01T00:00:00Z',
      when: 'now',
      text: 't',
      attachments: [
        { name: 'a', size: '1 B', href: '/t/x/files/1/0', note: null },
        { name: 'b', size: '1 B', href: null, note: words.fileNotes.dangerous },
      ],
    },
  ],
  reply: { action: '/t/x/reply', maxChars: STATUS_REPLY_MAX_CHARS, error: 'e' },
  close: { action: '/t/x/close' },
});
