import * as z from 'zod';
import type { WebFormFile, WebFormSubmission } from '../../application/submit-web-form.ts';
import { recordedFilename } from '../../domain/mail/parse-inbound-mail.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { STORED_SUBJECT_LIMIT, STORED_TEXT_LIMIT } from '../../domain/ticket/customer-words.ts';
import type { HttpRequest } from './http-exchange.ts';
import { readMultipartForm } from './multipart-form.ts';
import { isSubmissionProblem, problemMessage, type SubmissionProblem } from './submission-messages.ts';

/**
 * The most a `POST /tickets` body may weigh (JSON or form-encoded): a message of the longest
 * stored length in plain ASCII, with room for the other fields. Larger bodies are 413. It is
 * also the most one text field of a multipart body may weigh.
 */
export const TICKET_BODY_MAX_BYTES = 64 * 1024;

/**
 * The most a `multipart/form-data` body (the fields and every file) may weigh. API Gateway hands
 * the Lambda a binary body base64-encoded, a third larger, and a synchronous invocation takes at
 * most 6 MB: 4 MiB of body is 5.6 MB encoded, leaving room for the event's headers. (API
 * Gateway's own payload limit, 10 MB, is not the one that binds.) Larger bodies are 413.
 */
export const MULTIPART_BODY_MAX_BYTES = 4 * 1024 * 1024;

/** Parts of a multipart body: the form's fields and the files, with room for a client's extras. */
export const MULTIPART_MAX_PARTS = 64;

/** The field the hosted form's file input posts (files of any field are taken; errors about files name this one). */
export const ATTACHMENTS_FIELD = 'attachments';

/** A field people never see (hidden by the form's stylesheet, labelled "leave empty"): bots fill it. */
export const HONEYPOT_FIELD = 'website';

export const SUBMISSION_CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
] as const;

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type SubmissionReading =
  | {
      readonly kind: 'submission';
      readonly submission: WebFormSubmission;
      /** The files of a multipart post, in order; none for JSON and form-encoded posts. */
      readonly files: readonly WebFormFile[];
    }
  | { readonly kind: 'unsupported-type' }
  /** 400: a field's value. `posted`: the text fields as sent, for the hosted form to show again. */
  | RefusedSubmission<'invalid'>
  /** 413: a field or the files over a limit. */
  | RefusedSubmission<'too-large'>;

interface RefusedSubmission<K extends 'invalid' | 'too-large'> {
  readonly kind: K;
  readonly errors: readonly FieldError[];
  readonly posted: Readonly<Record<string, string>>;
}

const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined || issue.input === null ? 'required' : 'notText') })
    .trim()
    .min(1, { error: 'required' })
    .max(max, { error: 'tooLong' });

/** An optional field: absent, null and '' (an untouched select) are all "not given". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());

const schemaFor = (policy: Policy) => {
  const queues = policy.queues.map((queue) => queue.name);
  const priorities = policy.priorities.levels.map((level) => level.name);
  return z.object({
    name: text(200),
    email: text(254)
      .pipe(z.email({ error: 'invalidEmail' }))
      .transform((address) => address.toLowerCase()),
    subject: text(STORED_SUBJECT_LIMIT),
    message: text(STORED_TEXT_LIMIT),
    priority: optional(text(64).refine((name) => priorities.includes(name), { error: 'unknownPriority' })),
    queue: optional(text(128).refine((name) => queues.includes(name), { error: 'unknownQueue' })),
    locale: optional(text(35)),
    phone: optional(text(40).regex(/^[+\d][\d\s().-]*$/, { error: 'invalidPhone' })),
    [HONEYPOT_FIELD]: optional(z.never({ error: 'mustBeEmpty' })),
  });
};

/** The media type of a Content-Type header, lower-cased, without its parameters. */
export const mediaType = (contentType: string | undefined): string =>
  (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();

/** The most a body of this Content-Type may weigh: MULTIPART_BODY_MAX_BYTES for multipart, else TICKET_BODY_MAX_BYTES. */
export const bodyLimitFor = (contentType: string | undefined): number =>
  mediaType(contentType) === 'multipart/form-data' ? MULTIPART_BODY_MAX_BYTES : TICKET_BODY_MAX_BYTES;

/** Fields the schema reads: a multipart field of another name is ignored, even when over the size limit. */
const SUBMISSION_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'email',
  'subject',
  'message',
  'priority',
  'queue',
  'locale',
  'phone',
  HONEYPOT_FIELD,
]);

/**
 * A `POST /tickets` body read and validated: JSON, form-encoded or multipart fields (unknown ones
 * ignored, none ever merged into an object's prototype: fields are read into null-prototype
 * records and zod builds the result), or why not, each bad field named, in the requester's
 * language when the body names one we speak. A multipart body may carry files, at most the
 * policy's `attachments.webFormFiles` (more is 413 naming `attachments`); the text fields are
 * held to the same schema as the other types.
 */
export async function readTicketSubmission(policy: Policy, request: HttpRequest): Promise<SubmissionReading> {
  const type = mediaType(request.headers['content-type']);
  let fields: unknown;
  let files: readonly WebFormFile[] = [];
  if (type === 'application/json') {
    try {
      fields = JSON.parse(request.body.toString('utf8'));
    } catch {
      return invalid([['body', 'malformedJson']], null);
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    fields = formFields(request.body.toString('utf8'));
  } else if (type === 'multipart/form-data') {
    const form = await readMultipartForm(request.headers['content-type'] ?? '', request.body, {
      maxFieldBytes: TICKET_BODY_MAX_BYTES,
      maxParts: MULTIPART_MAX_PARTS,
    });
    if (form.kind === 'malformed') return invalid([['body', 'malformedMultipart']], null);
    if (form.kind === 'too-many-parts') return tooLarge('body', 'tooManyParts', MULTIPART_MAX_PARTS, {});
    const locale = form.fields['locale']?.trim() ?? null;
    const cut = form.truncated.find((name) => SUBMISSION_FIELDS.has(name));
    if (cut !== undefined) return tooLarge(cut, 'fieldTooLarge', TICKET_BODY_MAX_BYTES, form.fields, locale);
    const maxFiles = policy.attachments.webFormFiles;
    if (form.files.length > maxFiles) {
      return tooLarge(ATTACHMENTS_FIELD, maxFiles === 0 ? 'noFiles' : 'tooManyFiles', maxFiles, form.fields, locale);
    }
    fields = form.fields;
    files = form.files.map((file) => ({
      filename: recordedFilename(file.filename),
      contentType: file.contentType,
      content: file.content,
    }));
  } else {
    return { kind: 'unsupported-type' };
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    return invalid([['body', 'notAnObject']], null);
  }
  const record = fields as Record<string, unknown>;
  const locale = typeof record['locale'] === 'string' ? record['locale'].trim() : null;
  const parsed = schemaFor(policy).safeParse(record);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue): [string, SubmissionProblem] => [
      String(issue.path[0] ?? 'body'),
      isSubmissionProblem(issue.message) ? issue.message : 'notText',
    ]);
    return invalid(problems, locale, textFields(record));
  }
  const data = parsed.data;
  return {
    kind: 'submission',
    files,
    submission: {
      name: data.name,
      email: data.email,
      subject: data.subject,
      message: data.message,
      priority: data.priority ?? null,
      queue: data.queue ?? null,
      locale: data.locale ?? null,
      phone: data.phone ?? null,
    },
  };
}

/**
 * The text fields of a form-encoded or multipart body (what the hosted form shows again after a
 * refusal), in a null-prototype record; none for another type or a body that does not parse.
 */
export async function postedTextFields(request: HttpRequest): Promise<Readonly<Record<string, string>>> {
  const type = mediaType(request.headers['content-type']);
  if (type === 'application/x-www-form-urlencoded') return formFields(request.body.toString('utf8'));
  if (type === 'multipart/form-data' && request.body.length <= MULTIPART_BODY_MAX_BYTES) {
    const form = await readMultipartForm(request.headers['content-type'] ?? '', request.body, {
      maxFieldBytes: TICKET_BODY_MAX_BYTES,
      maxParts: MULTIPART_MAX_PARTS,
    });
    if (form.kind === 'read') return form.fields;
  }
  return Object.create(null);
}

/** Form fields in a null-prototype record; a repeated field keeps its first value. */
function formFields(body: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  }
  return fields;
}

/** The text values of posted fields (what the hosted form shows again), in a null-prototype record. */
function textFields(record: Record<string, unknown>): Record<string, string> {
  const texts: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(record)) if (typeof value === 'string') texts[name] = value;
  return texts;
}

function invalid(
  problems: readonly [string, SubmissionProblem][],
  locale: string | null,
  posted: Readonly<Record<string, string>> = {},
): SubmissionReading {
  // One error per field: the first problem found names it.
  const seen = new Map<string, SubmissionProblem>();
  for (const [field, problem] of problems) if (!seen.has(field)) seen.set(field, problem);
  return {
    kind: 'invalid',
    errors: [...seen].map(([field, problem]) => ({ field, message: problemMessage(problem, locale) })),
    posted,
  };
}

function tooLarge(
  field: string,
  problem: SubmissionProblem,
  max: number,
  posted: Readonly<Record<string, string>>,
  locale: string | null = null,
): SubmissionReading {
  return { kind: 'too-large', errors: [{ field, message: problemMessage(problem, locale, { max }) }], posted };
}
