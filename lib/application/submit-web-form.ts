import { createHash } from 'node:crypto';
import { AtendeError } from '../domain/atende-error.ts';
import { isNoReplyAddress } from '../domain/mail/mail-classification.ts';
import { isMailableAddress } from '../domain/mail/mailable-address.ts';
import type { MessageAttachment } from '../domain/ticket/ticket.ts';
import { resumeEvent } from './inbound-receipts.ts';
import { openTicket } from './open-ticket.ts';
import type { OutgoingMail } from './ports/mailer.ts';
import type { MimeComposer } from './ports/mime-composer.ts';
import type { StatusLinks } from './ports/status-links.ts';
import type { TicketEvent, TicketKernelDeps } from './ticket-event.ts';

export interface SubmitWebFormDeps extends TicketKernelDeps {
  readonly statusLinks: StatusLinks;
  /** Composes the raw mail a post with files is kept as (rawMail holds it). */
  readonly composer: MimeComposer;
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

/** A file a web-form post attaches, as the edge read it. */
export interface WebFormFile {
  /** As the customer's browser named it (no path, no control characters, at most 255 characters); null when unnamed. */
  readonly filename: string | null;
  /** Lower-cased `type/subtype`. */
  readonly contentType: string;
  readonly content: Uint8Array;
}

export interface WebFormPost {
  readonly submission: WebFormSubmission;
  /** The `Idempotency-Key` header, or null. */
  readonly idempotencyKey: string | null;
  /** The files posted with it (multipart/form-data), in order; none when absent. */
  readonly files?: readonly WebFormFile[];
}

/** A posted file with the hash its stored copy is found by (the parser's SHA-256 of the decoded content). */
interface HashedFile extends WebFormFile {
  readonly sha256: string;
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

/**
 * The hash a receipt remembers: the validated fields, so a JSON post and a form post of the same
 * words agree, and each file's name, type and content hash, so the same key with other files is
 * a conflict. A post without files hashes as it did before files were taken.
 */
export const submissionFingerprint = (
  submission: WebFormSubmission,
  files: readonly Pick<HashedFile, 'filename' | 'contentType' | 'sha256'>[] = [],
): string => {
  const fields: unknown[] = [
    submission.name,
    submission.email,
    submission.subject,
    submission.message,
    submission.priority,
    submission.queue,
    submission.locale,
    submission.phone,
  ];
  if (files.length > 0) fields.push(files.map((file) => [file.filename, file.contentType, file.sha256]));
  return `sha256:${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`;
};

const sha256 = (content: Uint8Array | string): string => createHash('sha256').update(content).digest('hex');

/**
 * Where a post's raw mail is kept: derived from its event key and fingerprint, so a retry of the
 * same post writes the same key, and a post reusing a key with other files (refused once its
 * receipt is read) never overwrites the files of the post that holds the key.
 */
export const webFormRawKey = (eventKey: string, fingerprint: string): string =>
  `web/${sha256(`${eventKey}\n${fingerprint}`)}`;

/**
 * Opens a ticket from a web-form post, through the same kernel as mail (channel `web`: the
 * policy's web targets apply, and the duplicates, suspension and acknowledgement rules as for
 * mail). Idempotent on `web:<Idempotency-Key>` (or the words' hash): the same key again answers
 * the same ticket and creates nothing; the same key with other words or files is
 * `web.idempotencyConflict`.
 *
 * A post with files is kept as a raw mail (from the requester to the queue, the files attached)
 * under `webFormRawKey`, and its message names that raw mail and the files: the receipt owes
 * storing them and the agents' notification attaches them, exactly as for a mail's attachments
 * (dangerous ones kept but never forwarded).
 */
export async function submitWebForm(deps: SubmitWebFormDeps, post: WebFormPost): Promise<WebFormOutcome> {
  const { policy } = deps;
  const { submission } = post;
  const now = deps.clock.now();
  const files: HashedFile[] = (post.files ?? []).map((file) => ({ ...file, sha256: sha256(file.content) }));
  const fingerprint = submissionFingerprint(submission, files);
  const key =
    post.idempotencyKey === null
      ? `web:body:${fingerprint}:${Math.floor(now / UNKEYED_REPEAT_WINDOW_MS)}`
      : `web:${post.idempotencyKey}`;
  const rawKey = files.length === 0 ? null : webFormRawKey(key, fingerprint);
  const event: TicketEvent = { key, now, rawKey, fingerprint };

  const seen = await deps.store.getReceipt(key);
  if (seen) {
    refuseOtherWords(key, seen.fingerprint, fingerprint);
    return answerFor(deps, (await resumeEvent(deps, event)).ticketNumber);
  }
  const queue = policy.queues.find((candidate) => candidate.name === submission.queue) ?? policy.queues[0];
  if (!queue) throw new AtendeError('policy.unknownQueue', 'The policy has no queue to open web tickets in');
  const text = submission.phone === null ? submission.message : `${submission.message}\n\nPhone: ${submission.phone}`;
  if (rawKey !== null) {
    const kept: OutgoingMail = {
      // The form's check of an address is looser than what a mail may carry (a 65-octet local
      // part passes it): such a post is still kept, From the queue, rather than refused for good.
      from: { address: isMailableAddress(submission.email) ? submission.email : queue.address, name: submission.name },
      to: [{ address: queue.address }],
      subject: submission.subject,
      text,
      headers: { 'X-Atende-Channel': 'web' },
    };
    // Stored before the ticket is committed: the receipt's owed effect reads the files from it.
    await deps.rawMail.put(
      rawKey,
      await deps.composer.compose(kept, {
        files: files.map((file) => ({
          filename: file.filename ?? '',
          contentType: file.contentType,
          content: file.content,
        })),
        date: new Date(now),
      }),
    );
  }
  const outcome = await openTicket(deps, event, {
    channel: 'web',
    queue,
    requester: submission.email,
    requesterName: submission.name,
    subject: submission.subject,
    text,
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
      rawKey,
      attachments: files.map(messageAttachment),
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

/** A posted file as a message describes it; the kernel names its key once the message has its ticket. */
const messageAttachment = (file: HashedFile): MessageAttachment => ({
  filename: file.filename,
  contentType: file.contentType,
  size: file.content.byteLength,
  key: null,
  sha256: file.sha256,
  inline: false,
  withheld: null,
});

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
