import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import {
  NOTIFICATION_KINDS,
  type NotificationContext,
  type NotificationKind,
  type NotificationRenderer,
  type RenderedNotification,
} from '../../application/ports/notification-renderer.ts';
import { AtendeError, isAtendeError } from '../../domain/atende-error.ts';
import { SHIPPED_FILES_ROOT } from '../shipped-files.ts';
import { type RenderData, registerNotificationHelpers, type TemplateTarget } from './notification-helpers.ts';
import { type TemplateLabels, TemplateLabelsSchema } from './template-labels.ts';

/** The shipped templates/ folder: the repository's from sources, the one beside a Lambda bundle (shipped-files.ts). */
export const DEFAULT_TEMPLATES_DIRECTORY = join(SHIPPED_FILES_ROOT, 'templates');

/** Partials every locale shares (the HTML layout); the folder name cannot be a locale tag. */
const SHARED_FOLDER = '_shared';
const LABELS_FILE = 'labels.json';
const PARTS = ['subject', 'text', 'html'] as const;
type Part = (typeof PARTS)[number];

/** `layout.html.hbs` in _shared/, `_footer.text.hbs` in a locale folder: partial name and target. */
const PARTIAL_FILE = /^_?([a-z0-9-]+)\.(text|html)\.hbs$/;

type Template = Handlebars.TemplateDelegate<NotificationContext>;

/** One locale's templates, parsed and compiled on first use (or all at once by `compileAll`). */
class LocaleSet {
  private envs: Record<TemplateTarget, typeof Handlebars> | undefined;
  /** Each partial's parse, run when the partial is first rendered (a mail uses a few of ~12). */
  private readonly partialParses: (() => Template)[] = [];
  private readonly templates = new Map<NotificationKind, Readonly<Record<Part, Template>>>();

  constructor(
    private readonly locale: string,
    private readonly labels: TemplateLabels,
    private readonly files: ReadonlyMap<string, TemplateFile>,
    private readonly partials: readonly PartialFile[],
  ) {}

  templatesFor(kind: NotificationKind): Readonly<Record<Part, Template>> {
    const known = this.templates.get(kind);
    if (known !== undefined) return known;
    const envs = this.environments();
    const compiled = {
      subject: compileFile(envs.text, this.file(kind, 'subject'), 'text'),
      text: compileFile(envs.text, this.file(kind, 'text'), 'text'),
      html: compileFile(envs.html, this.file(kind, 'html'), 'html'),
    };
    this.templates.set(kind, compiled);
    return compiled;
  }

  compileAll(): void {
    for (const kind of NOTIFICATION_KINDS) this.templatesFor(kind);
    for (const parse of this.partialParses) parse();
  }

  /**
   * One Handlebars environment per locale and target: partials and helpers of one language
   * never leak into another, and an HTML partial is never compiled without escaping.
   */
  private environments(): Record<TemplateTarget, typeof Handlebars> {
    if (this.envs !== undefined) return this.envs;
    const envs: Record<TemplateTarget, typeof Handlebars> = { text: Handlebars.create(), html: Handlebars.create() };
    for (const target of ['text', 'html'] as const) {
      registerNotificationHelpers(envs[target], target, this.locale, this.labels);
      // Locale partials come after shared ones, so a locale may override a shared partial.
      for (const partial of this.partials.filter((candidate) => candidate.target === target)) {
        let compiled: Template | undefined;
        const parse = (): Template => {
          compiled ??= compileFile(envs[target], partial, target);
          return compiled;
        };
        this.partialParses.push(parse);
        // Handlebars calls a function partial with the context and options it would give a compiled one.
        envs[target].registerPartial(partial.name, ((
          context: NotificationContext,
          options?: Handlebars.RuntimeOptions,
        ) => parse()(context, options)) as Handlebars.Template);
      }
    }
    this.envs = envs;
    return envs;
  }

  private file(kind: NotificationKind, part: Part): TemplateFile {
    const found = this.files.get(`${kind}.${part}`);
    // load() has checked every file is there.
    if (found === undefined)
      throw new AtendeError('templates.missing', `${this.locale}/${kind}.${part}.hbs is missing`, {
        details: { locale: this.locale, kind, part },
      });
    return found;
  }
}

/**
 * When templates are parsed: `at-load` (the default) finds a syntax error before the first mail;
 * `on-first-use` parses a locale's templates when one of them is first rendered, for a cold start
 * that renders one or two of the ~300 (the Lambdas: their templates were parsed at-load when
 * the stack was synthesized, by infra/stack-settings.ts).
 */
export type TemplateParsing = 'at-load' | 'on-first-use';

interface TemplateFile {
  readonly path: string;
  readonly source: string;
}

/**
 * The one notification renderer: Handlebars templates under `templates/<locale>/`, read once
 * by `load` and compiled once (at load, or on first use: `TemplateParsing`). HTML is escaped (customer text in a subject or message cannot add
 * markup); subject and text are not, since they are not HTML. Templates run in strict mode, so
 * a misspelt field fails the render instead of leaving a hole in a customer's mail.
 *
 * Choosing the locale (and falling back to the policy's default) is the caller's job:
 * an unknown locale or kind fails with `templates.missing`.
 */
export class HandlebarsNotificationRenderer implements NotificationRenderer {
  private constructor(private readonly sets: ReadonlyMap<string, LocaleSet>) {}

  /**
   * Reads every template in `directory` (default: the repository's templates/) and, unless
   * `parsing` is `on-first-use`, parses and compiles them. Fails with `templates.missing` naming
   * every file a locale lacks, and `templates.invalid` for a labels.json that breaks its schema
   * or a template that does not parse (then at its first render with `on-first-use`).
   */
  static async load(
    directory: string = DEFAULT_TEMPLATES_DIRECTORY,
    parsing: TemplateParsing = 'at-load',
  ): Promise<HandlebarsNotificationRenderer> {
    const entries = await readdirOrFail(directory);
    const sharedPartials = entries.some((entry) => entry.isDirectory() && entry.name === SHARED_FOLDER)
      ? await readPartials(join(directory, SHARED_FOLDER))
      : [];
    const localeNames = entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_') && !entry.name.startsWith('.'))
      .map((entry) => entry.name);

    const missing: string[] = [];
    const sets = new Map<string, LocaleSet>();
    for (const locale of localeNames.sort()) {
      assertLocaleTag(locale, directory);
      const folder = join(directory, locale);
      const files = new Map<string, TemplateFile>();
      for (const kind of NOTIFICATION_KINDS) {
        for (const part of PARTS) {
          const path = join(folder, `${kind}.${part}.hbs`);
          const source = await readOptional(path);
          if (source === undefined) missing.push(`${locale}/${kind}.${part}.hbs`);
          else files.set(`${kind}.${part}`, { path, source });
        }
      }
      const labelsText = await readOptional(join(folder, LABELS_FILE));
      if (labelsText === undefined) missing.push(`${locale}/${LABELS_FILE}`);
      if (missing.length > 0 || labelsText === undefined) continue;
      const labels = parseLabels(labelsText, join(folder, LABELS_FILE));
      const partials = [...sharedPartials, ...(await readPartials(folder))];
      const set = new LocaleSet(locale, labels, files, partials);
      if (parsing === 'at-load') set.compileAll();
      sets.set(locale, set);
    }
    if (missing.length > 0) {
      throw new AtendeError(
        'templates.missing',
        `${directory} lacks ${missing.length} template file(s): ${missing.join(', ')}`,
        { details: { directory, missing } },
      );
    }
    return new HandlebarsNotificationRenderer(sets);
  }

  locales(): readonly string[] {
    return [...this.sets.keys()];
  }

  render(kind: NotificationKind, locale: string, context: NotificationContext): RenderedNotification {
    const set = this.sets.get(locale);
    if (set === undefined || !NOTIFICATION_KINDS.includes(kind)) {
      throw new AtendeError('templates.missing', `no ${kind} templates for locale ${JSON.stringify(locale)}`, {
        details: { kind, locale, locales: this.locales() },
      });
    }
    const templates = set.templatesFor(kind);
    const data: RenderData = { locale, zone: context.sla?.timeZone ?? 'UTC' };
    const run = (part: Part): string => {
      try {
        return templates[part](context, { data });
      } catch (error) {
        if (isAtendeError(error)) throw error;
        throw new AtendeError(
          'templates.renderFailed',
          `${locale}/${kind}.${part}.hbs failed: ${error instanceof Error ? error.message : String(error)}`,
          {
            cause: error,
            details: { kind, locale, part },
          },
        );
      }
    };
    return {
      // A header is one line: a line break from a template or a customer's subject would end it (and could start another header).
      subject: run('subject').replace(/\s+/g, ' ').trim(),
      text: `${run('text').trimEnd()}\n`,
      html: run('html'),
    };
  }
}

const readdirOrFail = async (directory: string) => {
  try {
    return await readdir(directory, { withFileTypes: true });
  } catch (error) {
    throw new AtendeError('templates.missing', `cannot read the templates folder ${directory}`, {
      cause: error,
      details: { directory },
    });
  }
};

const readOptional = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
};

interface PartialFile extends TemplateFile {
  readonly name: string;
  readonly target: TemplateTarget;
}

const readPartials = async (folder: string): Promise<PartialFile[]> => {
  const partials: PartialFile[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    // In a locale folder only `_name.target.hbs` is a partial; kind templates have no underscore.
    const match =
      entry.isFile() && (folder.endsWith(SHARED_FOLDER) || entry.name.startsWith('_'))
        ? PARTIAL_FILE.exec(entry.name)
        : null;
    if (match === null) continue;
    const [, name, target] = match;
    if (name === undefined || (target !== 'text' && target !== 'html')) continue;
    const path = join(folder, entry.name);
    partials.push({ name, target, path, source: await readFile(path, 'utf8') });
  }
  return partials;
};

const assertLocaleTag = (locale: string, directory: string): void => {
  try {
    Intl.getCanonicalLocales(locale);
  } catch (error) {
    throw new AtendeError('templates.invalid', `${directory}/${locale} is not named after a language tag`, {
      cause: error,
      details: { directory, locale },
    });
  }
};

const parseLabels = (text: string, path: string): TemplateLabels => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AtendeError('templates.invalid', `${path} is not JSON`, { cause: error, details: { path } });
  }
  const result = TemplateLabelsSchema.safeParse(json);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new AtendeError('templates.invalid', `${path}: ${problems.join('; ')}`, { details: { path, problems } });
};

/** Text targets (subject, text) are not HTML: escaping would turn "R&D" into "R&amp;D" in a customer's inbox. */
const compileOptions = (target: TemplateTarget): CompileOptions => ({ strict: true, noEscape: target === 'text' });
type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

const compileFile = (env: typeof Handlebars, file: TemplateFile, target: TemplateTarget): Template => {
  let ast: hbs.AST.Program;
  try {
    // Handlebars compiles lazily, on the first render; parsing here finds syntax errors when the template is loaded.
    ast = env.parse(file.source);
  } catch (error) {
    throw new AtendeError(
      'templates.invalid',
      `${file.path}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, details: { path: file.path } },
    );
  }
  return env.compile<NotificationContext>(ast, compileOptions(target));
};
