import { createHash } from 'node:crypto';
import { AtendeError } from '../domain/atende-error.ts';
import { isNoReplyAddress } from '../domain/mail/mail-classification.ts';
import { resumeEvent } from './inbound-receipts.ts';
import { openTicket } from './open-ticket.ts';
import type { StatusLinks } from './ports/status-links.ts';
import type { TicketEvent, TicketKernelDeps } from './ticket-event.ts';

export interface SubmitWebFormDeps extends TicketKernelDeps {
  readonly statusLinks: StatusLinks;
}

/** A web-form post as the edge validated it: strings trimmed, optional fields null. */
export interface WebFormSubmission {
  readonly name: string;
  /** Lower-cased. */
  readonly email: string;
  readonly subject: string;
  readonly message: string;
  /** A level of the policy's priorities, or null. */
  readonly priority: string | null;
  /** A queue of the policy, or null for the first one. */
  readonly queue: string | null;
  readonly locale: string | null;
  readonly phone: string | null;
}

export interface WebFormPost {
  readonly submission: WebFormSubmission;
  /** The `Idempotency-Key` header, or null. */
  readonly idempotencyKey: string | null;
}

export type WebFormOutcome =
  | { readonly outcome: 'opened'; readonly number: number; readonly statusUrl: string }
  /** No ticket (a suspended customer): what there is to say went by mail. */
  | { readonly outcome: 'not-opened' };

/**
 * A post without an Idempotency-Key is keyed by its words within a day: a double click (or a
 * retried request) opens one ticket; the same words a day later are a new request.
 */
export const UNKEYED_REPEAT_WINDOW_MS = 24 * 60 * 60_000;

/** The hash a receipt remembers: the validated fields, so a JSON post and a form post of the same words agree. */
export const submissionFingerprint = (submission: WebFormSubmission): string => {
  const fields = [
    submission.name,
    submission.email,
    submission.subject,
    submission.message,
    submission.priority,
    submission.queue,
    submission.locale,
    submission.phone,
  ];
  return `sha256:${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`;
};

/**
 * Opens a ticket from a web-form post, through the same kernel as mail (channel `web`: the
 * policy's web targets apply, and the duplicates, suspension and acknowledgement rules as for
 * mail). Idempotent on `web:<Idempotency-Key>` (or the words' hash): the same key again answers
 * the same ticket and creates nothing; the same key with other words is `web.idempotencyConflict`.
 */
export async function submitWebForm(deps: SubmitWebFormDeps, post: WebFormPost): Promise<WebFormOutcome> {
  const { policy } = deps;
  const { submission } = post;
  const now = deps.clock.now();
  const fingerprint = submissionFingerprint(submission);
  const key =
    post.idempotencyKey === null
      ? `web:body:${fingerprint}:${Math.floor(now / UNKEYED_REPEAT_WINDOW_MS)}`
      : `web:${post.idempotencyKey}`;
  const event: TicketEvent = { key, now, rawKey: null, fingerprint };

  const seen = await deps.store.getReceipt(key);
  if (seen) {
    refuseOtherWords(key, seen.fingerprint, fingerprint);
    return answerFor(deps, (await resumeEvent(deps, event)).ticketNumber);
  }
  const queue = policy.queues.find((candidate) => candidate.name === submission.queue) ?? policy.queues[0];
  if (!queue) throw new AtendeError('policy.unknownQueue', 'The policy has no queue to open web tickets in');
  const outcome = await openTicket(deps, event, {
    channel: 'web',
    queue,
    requester: submission.email,
    requesterName: submission.name,
    subject: submission.subject,
    text: submission.phone === null ? submission.message : `${submission.message}\n\nPhone: ${submission.phone}`,
    localeHint: submission.locale,
    priorityHint: submission.priority,
    participantsNamed: [],
    mayAddParticipants: false,
    mayAcknowledge: !isNoReplyAddress(submission.email),
    flags: [],
    message: {
      from: submission.email,
      to: [],
      cc: [],
      messageId: null,
      contentKey: null,
      inReplyTo: null,
      references: [],
      rawKey: null,
      attachments: [],
    },
    reply: { inReplyTo: null, references: [] },
    threadIds: [],
  });
  if (outcome.outcome === 'duplicate') {
    // Another post with this key committed first: its words decide whether this one is a repeat.
    refuseOtherWords(key, (await deps.store.getReceipt(key))?.fingerprint, fingerprint);
  }
  return answerFor(deps, 'ticketNumber' in outcome ? outcome.ticketNumber : null);
}

function refuseOtherWords(key: string, seen: string | undefined, fingerprint: string): void {
  if (seen === fingerprint) return;
  throw new AtendeError('web.idempotencyConflict', `Idempotency key ${key} was used for another submission`, {
    details: { key },
  });
}

async function answerFor(deps: SubmitWebFormDeps, ticketNumber: number | null): Promise<WebFormOutcome> {
  const ticket = ticketNumber === null ? null : await deps.store.getTicket(ticketNumber);
  if (!ticket) return { outcome: 'not-opened' };
  return { outcome: 'opened', number: ticket.number, statusUrl: deps.statusLinks.linkFor(ticket) };
}
