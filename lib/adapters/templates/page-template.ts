import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type * as z from 'zod';
import { AtendeError } from '../../domain/atende-error.ts';
import { DEFAULT_TEMPLATES_DIRECTORY } from './handlebars-notification-renderer.ts';

/** The folder of pages (not mail): its name starts with "_" so the notification renderer does not take it for a locale. */
export const PAGES_FOLDER = '_pages';

/** The stylesheet every page links (`GET /pages/page.css`): no inline style, so the CSP can say `style-src 'self'`. */
export const PAGE_STYLESHEET_FILE = 'page.css';

/**
 * One web page: `<name>.html.hbs` (strict, HTML-escaped) and the words of each language in
 * `<name>.json`, read once and checked at load (every key in every language; `en` present; the
 * template renders `sample`), so a misspelt field fails at start and not on a customer's click.
 */
export class PageTemplate<Words> {
  private constructor(
    private readonly template: Handlebars.TemplateDelegate,
    private readonly words: ReadonlyMap<string, Words>,
  ) {}

  static async load<Words>(options: {
    readonly name: string;
    readonly words: z.ZodType<Words>;
    readonly sample: (words: Words) => Record<string, unknown>;
    readonly directory?: string;
  }): Promise<PageTemplate<Words>> {
    const folder = join(options.directory ?? DEFAULT_TEMPLATES_DIRECTORY, PAGES_FOLDER);
    const htmlPath = join(folder, `${options.name}.html.hbs`);
    const wordsPath = join(folder, `${options.name}.json`);
    const [source, wordsText] = await Promise.all([readPageFile(htmlPath), readPageFile(wordsPath)]);
    let json: unknown;
    try {
      json = JSON.parse(wordsText);
    } catch (error) {
      throw new AtendeError('templates.invalid', `${wordsPath} is not JSON`, {
        cause: error,
        details: { path: wordsPath },
      });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new AtendeError('templates.invalid', `${wordsPath} is not an object of languages`, {
        details: { path: wordsPath },
      });
    const words = new Map<string, Words>();
    for (const [locale, value] of Object.entries(json)) {
      const parsed = options.words.safeParse(value);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${locale}.${issue.path.join('.')}: ${issue.message}`);
        throw new AtendeError('templates.invalid', `${wordsPath}: ${problems.join('; ')}`, {
          details: { path: wordsPath, problems },
        });
      }
      words.set(locale, parsed.data);
    }
    const english = words.get('en');
    if (english === undefined)
      throw new AtendeError('templates.invalid', `${wordsPath} lacks "en", the last fallback`, {
        details: { path: wordsPath },
      });
    let template: Handlebars.TemplateDelegate;
    try {
      template = Handlebars.create().compile(source, { strict: true });
      for (const each of words.values()) template(options.sample(each));
    } catch (error) {
      throw new AtendeError('templates.invalid', `${htmlPath} does not render`, {
        cause: error,
        details: { path: htmlPath },
      });
    }
    return new PageTemplate(template, words);
  }

  /** The languages the page has words for. */
  locales(): readonly string[] {
    return [...this.words.keys()];
  }

  /** The first of `candidates` the page has words for, else English. */
  language(candidates: readonly (string | null | undefined)[]): { lang: string; words: Words } {
    const lang = candidates.find((candidate): candidate is string => !!candidate && this.words.has(candidate)) ?? 'en';
    return { lang, words: this.words.get(lang) as Words };
  }

  render(data: Record<string, unknown>): string {
    return this.template(data);
  }
}

/** The pages' stylesheet, read once. */
export async function loadPageStylesheet(directory: string = DEFAULT_TEMPLATES_DIRECTORY): Promise<string> {
  return readPageFile(join(directory, PAGES_FOLDER, PAGE_STYLESHEET_FILE));
}

async function readPageFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new AtendeError('templates.missing', `cannot read ${path}`, { cause: error, details: { path } });
  }
}
