import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import * as z from 'zod';
import { AtendeError } from '../../domain/atende-error.ts';
import { SURVEY_COMMENT_MAX_CHARS } from '../../domain/ticket/survey-answer.ts';
import { SATISFACTION_RATINGS, type SatisfactionAnswer } from '../../domain/ticket/ticket.ts';
import { DEFAULT_TEMPLATES_DIRECTORY } from './handlebars-notification-renderer.ts';

/**
 * The folder of pages (not mail): its name starts with "_" so the notification renderer does
 * not take it for a locale.
 */
const PAGES_FOLDER = '_pages';

/** What a survey link's page says: the answer recorded, a repeat, or why nothing was recorded. */
export const SURVEY_PAGE_STATES = [
  'recorded',
  'commented',
  'already-recorded',
  'invalid',
  'expired',
  'not-found',
  'too-large',
  'failed',
] as const;
export type SurveyPageState = (typeof SURVEY_PAGE_STATES)[number];

const byState = z.strictObject(
  Object.fromEntries(SURVEY_PAGE_STATES.map((state) => [state, z.string().min(1)])) as Record<
    SurveyPageState,
    z.ZodString
  >,
);

/** One language's words; every key in every language, checked at load. */
const PageWords = z.strictObject({
  title: z.string().min(1),
  headings: byState,
  explanations: byState,
  ticket: z.string().min(1),
  rating: z.string().min(1),
  ratings: z.strictObject(
    Object.fromEntries(SATISFACTION_RATINGS.map((rating) => [rating, z.string().min(1)])) as Record<
      (typeof SATISFACTION_RATINGS)[number],
      z.ZodString
    >,
  ),
  comment: z.string().min(1),
  commentPrompt: z.string().min(1),
  send: z.string().min(1),
});
type PageWords = z.infer<typeof PageWords>;

export interface SurveyPageView {
  readonly state: SurveyPageState;
  /** The language asked for; one the page has no words for reads in `fallback`, else English. */
  readonly locale: string;
  readonly fallback: string;
  readonly ticket?: { readonly tag: string; readonly subject: string };
  readonly answer?: SatisfactionAnswer;
  /** Where the comment form posts, when a comment can still be added. */
  readonly commentAction?: string;
}

/**
 * The survey links' thank-you page: one Handlebars template (HTML-escaped, strict) and the words
 * of each language in templates/_pages/survey-answer.json, both read once by `load`.
 */
export class SurveyPage {
  private constructor(
    private readonly template: Handlebars.TemplateDelegate,
    private readonly words: ReadonlyMap<string, PageWords>,
  ) {}

  static async load(directory: string = DEFAULT_TEMPLATES_DIRECTORY): Promise<SurveyPage> {
    const folder = join(directory, PAGES_FOLDER);
    const [source, wordsText] = await Promise.all([
      readPageFile(join(folder, 'survey-answer.html.hbs')),
      readPageFile(join(folder, 'survey-answer.json')),
    ]);
    const path = join(folder, 'survey-answer.json');
    let json: unknown;
    try {
      json = JSON.parse(wordsText);
    } catch (error) {
      throw new AtendeError('templates.invalid', `${path} is not JSON`, { cause: error, details: { path } });
    }
    const parsed = z.record(z.string(), PageWords).safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new AtendeError('templates.invalid', `${path}: ${problems.join('; ')}`, { details: { path, problems } });
    }
    if (!('en' in parsed.data))
      throw new AtendeError('templates.invalid', `${path} lacks "en", the last fallback`, { details: { path } });
    let template: Handlebars.TemplateDelegate;
    try {
      template = Handlebars.create().compile(source, { strict: true });
      template({ ...sampleData(parsed.data['en'] as PageWords) });
    } catch (error) {
      throw new AtendeError('templates.invalid', `${folder}/survey-answer.html.hbs does not render`, {
        cause: error,
        details: { path: folder },
      });
    }
    return new SurveyPage(template, new Map(Object.entries(parsed.data)));
  }

  /** The languages the page has words for. */
  locales(): readonly string[] {
    return [...this.words.keys()];
  }

  render(view: SurveyPageView): string {
    const lang = [view.locale, view.fallback, 'en'].find((candidate) => this.words.has(candidate)) ?? 'en';
    const words = this.words.get(lang) as PageWords;
    return this.template({
      lang,
      words,
      heading: words.headings[view.state],
      explanation: words.explanations[view.state],
      ticket: view.ticket ?? null,
      answer: view.answer ? { rating: words.ratings[view.answer.rating], comment: view.answer.comment ?? null } : null,
      form: view.commentAction ? { action: view.commentAction, maxChars: SURVEY_COMMENT_MAX_CHARS } : null,
    });
  }
}

/** Every field the template may read, so a misspelt one fails at load and not on a customer's click. */
const sampleData = (words: PageWords) => ({
  lang: 'en',
  words,
  heading: words.headings.commented,
  explanation: words.explanations.commented,
  ticket: { tag: '[Atende #1]', subject: 'subject' },
  answer: { rating: words.ratings.good, comment: 'comment' },
  form: { action: '/survey/x', maxChars: SURVEY_COMMENT_MAX_CHARS },
});

async function readPageFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new AtendeError('templates.missing', `cannot read ${path}`, { cause: error, details: { path } });
  }
}
