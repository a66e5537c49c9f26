import * as z from 'zod';
import type { WebFormSubmission } from '../../application/submit-web-form.ts';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { STORED_SUBJECT_LIMIT, STORED_TEXT_LIMIT } from '../../domain/ticket/customer-words.ts';
import type { HttpRequest } from './http-exchange.ts';
import { isSubmissionProblem, problemMessage, type SubmissionProblem } from './submission-messages.ts';

/**
 * The most a `POST /tickets` body may weigh (JSON or form-encoded): a message of the longest
 * stored length in plain ASCII, with room for the other fields. Larger bodies are 413.
 */
export const TICKET_BODY_MAX_BYTES = 64 * 1024;

/** A field people never see (hidden by the form's stylesheet, labelled "leave empty"): bots fill it. */
export const HONEYPOT_FIELD = 'website';

export const SUBMISSION_CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type SubmissionReading =
  | { readonly kind: 'submission'; readonly submission: WebFormSubmission }
  | { readonly kind: 'unsupported-type' }
  | { readonly kind: 'invalid'; readonly errors: readonly FieldError[] };

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

/**
 * A `POST /tickets` body read and validated: JSON or form-encoded fields (unknown ones ignored,
 * none ever merged into an object's prototype: fields are read into null-prototype records and
 * zod builds the result), or why not, each bad field named, in the requester's language when the
 * body names one we speak.
 */
export function readTicketSubmission(policy: Policy, request: HttpRequest): SubmissionReading {
  const type = mediaType(request.headers['content-type']);
  let fields: unknown;
  if (type === 'application/json') {
    try {
      fields = JSON.parse(request.body.toString('utf8'));
    } catch {
      return invalid([['body', 'malformedJson']], null);
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    fields = formFields(request.body.toString('utf8'));
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
    return invalid(problems, locale);
  }
  const data = parsed.data;
  return {
    kind: 'submission',
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

/** Form fields in a null-prototype record; a repeated field keeps its first value. */
function formFields(body: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    if (!Object.hasOwn(fields, name)) fields[name] = value;
  }
  return fields;
}

function invalid(problems: readonly [string, SubmissionProblem][], locale: string | null): SubmissionReading {
  // One error per field: the first problem found names it.
  const seen = new Map<string, SubmissionProblem>();
  for (const [field, problem] of problems) if (!seen.has(field)) seen.set(field, problem);
  return {
    kind: 'invalid',
    errors: [...seen].map(([field, problem]) => ({ field, message: problemMessage(problem, locale) })),
  };
}
