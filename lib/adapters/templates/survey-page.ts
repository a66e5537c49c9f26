import * as z from 'zod';
import { SURVEY_COMMENT_MAX_CHARS } from '../../domain/ticket/survey-answer.ts';
import { SATISFACTION_RATINGS, type SatisfactionAnswer } from '../../domain/ticket/ticket.ts';
import { PageTemplate } from './page-template.ts';

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
  /** The shared stylesheet's path (html-page.ts PAGE_STYLESHEET_PATH): the page has no inline style. */
  readonly stylesheet: string;
  readonly ticket?: { readonly tag: string; readonly subject: string };
  readonly answer?: SatisfactionAnswer;
  /** Where the comment form posts, when a comment can still be added. */
  readonly commentAction?: string;
}

/**
 * The survey links' thank-you page (templates/_pages/survey-answer.*): one Handlebars template
 * (HTML-escaped, strict) and the words of each language, read and checked once by `load`.
 */
export class SurveyPage {
  private constructor(private readonly page: PageTemplate<PageWords>) {}

  static async load(directory?: string): Promise<SurveyPage> {
    const page = await PageTemplate.load({
      name: 'survey-answer',
      words: PageWords,
      sample: sampleData,
      ...(directory === undefined ? {} : { directory }),
    });
    return new SurveyPage(page);
  }

  /** The languages the page has words for. */
  locales(): readonly string[] {
    return this.page.locales();
  }

  render(view: SurveyPageView): string {
    const { lang, words } = this.page.language([view.locale, view.fallback]);
    return this.page.render({
      lang,
      words,
      stylesheet: view.stylesheet,
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
  stylesheet: '/pages/page.css',
  heading: words.headings.commented,
  explanation: words.explanations.commented,
  ticket: { tag: '[Atende #1]', subject: 'subject' },
  answer: { rating: words.ratings.good, comment: 'comment' },
  form: { action: '/survey/x', maxChars: SURVEY_COMMENT_MAX_CHARS },
});
