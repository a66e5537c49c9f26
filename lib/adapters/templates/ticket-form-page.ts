import * as z from 'zod';
import type { Policy } from '../../domain/policy/policy-schema.ts';
import { STORED_SUBJECT_LIMIT, STORED_TEXT_LIMIT } from '../../domain/ticket/customer-words.ts';
import { PageTemplate } from './page-template.ts';

const text = z.string().min(1);
const Problem = z.strictObject({ heading: text, explanation: text });
const Words = z.strictObject({
  title: text,
  intro: text,
  name: text,
  email: text,
  subject: text,
  message: text,
  attachments: text,
  /** `{max}`: the policy's attachments.webFormFiles. */
  attachmentsHint: text,
  website: text,
  send: text,
  failed: text,
  confirmation: z.strictObject({ title: text, explanation: text, number: text, statusLink: text }),
  problems: z.strictObject({ missing: Problem, foreign: Problem, tooLarge: Problem, unsupported: Problem }),
  /** `{minutes}` is replaced by the minutes until the limit's window ends. */
  tooMany: text.includes('{minutes}'),
  busy: text,
  backToForm: text,
});
type Words = z.infer<typeof Words>;

/** The fields the form shows, in order; `website` is the honeypot (ticket-submission.ts HONEYPOT_FIELD). */
export const FORM_FIELDS = ['name', 'email', 'subject', 'message', 'website'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

const FIELD_SHAPES: Readonly<
  Record<FormField, { type: string; autocomplete: string; maxLength: number; multiline: boolean; hidden: boolean }>
> = {
  name: { type: 'text', autocomplete: 'name', maxLength: 200, multiline: false, hidden: false },
  email: { type: 'email', autocomplete: 'email', maxLength: 254, multiline: false, hidden: false },
  subject: { type: 'text', autocomplete: 'off', maxLength: STORED_SUBJECT_LIMIT, multiline: false, hidden: false },
  message: { type: 'text', autocomplete: 'off', maxLength: STORED_TEXT_LIMIT, multiline: true, hidden: false },
  website: { type: 'text', autocomplete: 'off', maxLength: 200, multiline: false, hidden: true },
};

/** Why a browser's post got a page saying so instead of the form or the confirmation. */
export type FormProblem = keyof Words['problems'];

/**
 * Why the form comes back: fields to fix (each error next to its field), too many tickets from
 * this sender (try again in so many minutes), or a failure of ours (send it again).
 */
export type FormRefusal =
  | { readonly kind: 'fields' }
  | { readonly kind: 'too-many'; readonly retryAfterSeconds: number }
  | { readonly kind: 'busy' };

export interface TicketFormView {
  /** Where the form posts (`/tickets`). */
  readonly action: string;
  readonly stylesheet: string;
  /** The `lang` asked for (query or the posted `locale`); one the page does not speak falls back to the policy's default. */
  readonly locale: string | null;
  /** The queue the form opens tickets in ('' for the policy's first). */
  readonly queue: string;
  /** What the customer typed, when the form comes back with errors. */
  readonly values?: Readonly<Partial<Record<FormField, string>>>;
  /** Each refused field's message, shown next to it. */
  readonly errors?: Readonly<Partial<Record<FormField, string>>>;
  /** Why the files were refused (too many), shown next to the file input. */
  readonly filesError?: string;
  /** Why the post was refused (also for an error on no shown field): the banner above the form. */
  readonly refusal?: FormRefusal;
}

/**
 * The hosted form (templates/_pages/ticket-form.*): the form itself, the browser's confirmation
 * with the ticket number, and the pages of a post it cannot take (a form that does not exist, a
 * foreign site, a body too large, one of another type). Every value goes through
 * `{{ }}`, so what a customer typed comes back as text.
 */
export class TicketFormPage {
  private constructor(
    private readonly page: PageTemplate<Words>,
    private readonly policy: Policy,
  ) {}

  static async load(policy: Policy, directory?: string): Promise<TicketFormPage> {
    const page = await PageTemplate.load({
      name: 'ticket-form',
      words: Words,
      sample: sampleData,
      ...(directory === undefined ? {} : { directory }),
    });
    return new TicketFormPage(page, policy);
  }

  /** The brand's logo the page shows (its origin goes into the page's CSP img-src). */
  get logo(): string | undefined {
    return this.policy.brand.logo;
  }

  /**
   * The language shown for a requested one: an offered language we have words for, else the
   * policy's default; `locale` is what the form posts: the requested language when offered (the
   * acknowledgement mail speaks more languages than this page), else the one shown.
   */
  language(requested: string | null): { lang: string; words: Words; locale: string } {
    const offered = requested !== null && this.policy.languages.offered.includes(requested) ? requested : null;
    const shown = this.page.language([offered, this.policy.languages.default]);
    return { ...shown, locale: offered ?? shown.lang };
  }

  form(view: TicketFormView): string {
    const { lang, words, locale } = this.language(view.locale);
    const errors = view.errors ?? {};
    const fields = FORM_FIELDS.map((id) => ({
      id,
      label: words[id],
      value: view.values?.[id] ?? '',
      error: errors[id] ?? null,
      required: id !== 'website',
      ...FIELD_SHAPES[id],
    }));
    const maxFiles = this.policy.attachments.webFormFiles;
    // A policy that takes no files (webFormFiles: 0) shows no file input.
    const files =
      maxFiles === 0
        ? null
        : {
            label: words.attachments,
            hint: words.attachmentsHint.replace('{max}', String(maxFiles)),
            error: view.filesError ?? null,
          };
    return this.page.render({
      ...this.base(lang, words, view.stylesheet),
      form: {
        action: view.action,
        queue: view.queue,
        locale,
        refusal: refusalText(words, view.refusal),
        fields,
        files,
      },
    });
  }

  confirmation(view: {
    readonly stylesheet: string;
    readonly locale: string | null;
    /** Null when no ticket was opened (a suspended customer: what there is to say went by mail). */
    readonly number: number | null;
    readonly statusUrl: string | null;
  }): string {
    const { lang, words } = this.language(view.locale);
    return this.page.render({
      ...this.base(lang, words, view.stylesheet),
      confirmation: { number: view.number, statusUrl: view.statusUrl },
    });
  }

  /** A page saying why a post (or a form's address) was not taken; `formHref` links back to the form when there is one. */
  problem(view: {
    readonly stylesheet: string;
    readonly locale: string | null;
    readonly problem: FormProblem;
    readonly formHref: string | null;
  }): string {
    const { lang, words } = this.language(view.locale);
    return this.page.render({
      ...this.base(lang, words, view.stylesheet),
      problem: { ...words.problems[view.problem], formHref: view.formHref },
    });
  }

  private base(lang: string, words: Words, stylesheet: string) {
    const { name, logo } = this.policy.brand;
    return { lang, words, brand: name, logo: logo ?? null, stylesheet, problem: null, confirmation: null, form: null };
  }
}

function refusalText(words: Words, refusal: FormRefusal | undefined): string | null {
  switch (refusal?.kind) {
    case undefined:
      return null;
    case 'fields':
      return words.failed;
    case 'too-many':
      return words.tooMany.replace('{minutes}', String(Math.max(1, Math.ceil(refusal.retryAfterSeconds / 60))));
    case 'busy':
      return words.busy;
  }
}

/** Every field the template may read. */
const sampleData = (words: Words) => ({
  lang: 'en',
  words,
  brand: 'Atende',
  logo: 'https://cdn.example.test/logo.svg',
  stylesheet: '/pages/page.css',
  problem: { ...words.problems.missing, formHref: '/form' },
  confirmation: { number: 1, statusUrl: 'https://example.test/t/x' },
  form: {
    action: '/tickets',
    queue: 'q',
    locale: 'en',
    refusal: words.failed,
    files: { label: words.attachments, hint: words.attachmentsHint, error: 'e' },
    fields: FORM_FIELDS.map((id) => ({
      id,
      label: words[id],
      value: 'v',
      error: 'e',
      required: true,
      ...FIELD_SHAPES[id],
    })),
  },
});
