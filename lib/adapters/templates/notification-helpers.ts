import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import { AtendeError } from '../../domain/atende-error.ts';
import { LABEL_GROUPS, type LabelGroup, labelFor, type TemplateLabels } from './template-labels.ts';

export type TemplateTarget = 'text' | 'html';

/** What `render` hands every template besides the context, as Handlebars `@data`. */
export interface RenderData {
  /** The IANA zone times are shown in: the queue's when the context has `sla`, else UTC. */
  readonly zone: string;
  readonly locale: string;
}

/** Long date, time and zone abbreviation, in the reader's language: "Monday, November 23, 2026 at 7:58 PM EST". */
const DATE_TIME_FORMAT: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

const zoneOf = (options: Handlebars.HelperOptions): string => {
  // `data` is typed `any` by Handlebars; render() always puts a RenderData there.
  const zone: unknown = (options.data as { zone?: unknown } | undefined)?.zone;
  return typeof zone === 'string' ? zone : 'UTC';
};

const isLabelGroup = (value: unknown): value is LabelGroup =>
  typeof value === 'string' && (LABEL_GROUPS as readonly string[]).includes(value);

const textOf = (value: unknown, helper: string): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new AtendeError(
    'templates.renderFailed',
    `{{${helper}}} expects text, got ${value === null ? 'null' : typeof value}`,
    { details: { helper } },
  );
};

const wholeMinutes = (value: unknown, helper: string): number => {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new AtendeError('templates.renderFailed', `{{${helper}}} expects whole minutes, got ${String(value)}`, {
    details: { helper },
  });
};

/**
 * The helpers every template of one locale may use. They are bound to the locale and its
 * labels, so a template never names its own language.
 *
 * - `{{dateTime iso}}`: an ISO instant in the render's zone (the queue's), in the locale's words.
 * - `{{label "flags" key}}`, `{{labelList "secretKinds" list}}`: words for codes, joined the
 *   way the language joins a list ("an API key and a password").
 * - `{{businessDuration minutes}}`: business minutes as hours and minutes, in the locale's units ("3 hr 5 min").
 * - `{{percentOf part whole}}`: the share `part` is of `whole`, rounded down, as the locale writes it ("75%", "75 %").
 * - `{{fileSize bytes}}`: a file's size in the locale's units, 1000-based ("2.5 MB", "2,5 MB").
 * - `{{#if (equals slaAlert.stage "warning")}}`: a code is this one (Handlebars has no comparison of its own).
 * - `{{#if (nonEmpty list)}}`: an absent or empty list is false (strict mode forbids `list.length` on an absent list).
 * - `{{paragraphs text}}` (HTML only): customer text, escaped, with its line breaks kept.
 */
export const registerNotificationHelpers = (
  env: typeof Handlebars,
  target: TemplateTarget,
  locale: string,
  labels: TemplateLabels,
): void => {
  const listFormat = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });

  env.registerHelper('dateTime', (iso: unknown, options: Handlebars.HelperOptions) => {
    const text = textOf(iso, 'dateTime');
    const zone = zoneOf(options);
    const instant = DateTime.fromISO(text, { zone }).setLocale(locale);
    if (!instant.isValid) {
      throw new AtendeError(
        'templates.renderFailed',
        `{{dateTime}} cannot show ${JSON.stringify(text)} in ${zone}: ${instant.invalidExplanation ?? instant.invalidReason ?? 'invalid'}`,
        {
          details: { value: text, zone },
        },
      );
    }
    return instant.toLocaleString(DATE_TIME_FORMAT);
  });

  env.registerHelper('label', (group: unknown, key: unknown) => {
    if (!isLabelGroup(group))
      throw new AtendeError('templates.renderFailed', `{{label}} has no group ${JSON.stringify(group)}`, {
        details: { group },
      });
    return labelFor(labels, group, textOf(key, 'label'));
  });

  env.registerHelper('labelList', (group: unknown, list: unknown) => {
    if (!isLabelGroup(group))
      throw new AtendeError('templates.renderFailed', `{{labelList}} has no group ${JSON.stringify(group)}`, {
        details: { group },
      });
    const items = Array.isArray(list) ? list.map((item) => labelFor(labels, group, textOf(item, 'labelList'))) : [];
    // The same kind masked twice is named once.
    return listFormat.format([...new Set(items)]);
  });

  const hours = new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'short' });
  const minutes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'short' });
  const units = new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' });
  env.registerHelper('businessDuration', (value: unknown) => {
    const total = wholeMinutes(value, 'businessDuration');
    const [h, m] = [Math.floor(total / 60), total % 60];
    if (h === 0) return minutes.format(m);
    return m === 0 ? hours.format(h) : units.format([hours.format(h), minutes.format(m)]);
  });

  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  env.registerHelper('percentOf', (part: unknown, whole: unknown) => {
    const [numerator, denominator] = [wholeMinutes(part, 'percentOf'), wholeMinutes(whole, 'percentOf')];
    // Rounded down: "75% has passed" must not be said at 74.6%.
    return percent.format(denominator === 0 ? 1 : Math.floor((numerator / denominator) * 100) / 100);
  });

  const sizeUnits = (['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const).map(
    (unit) => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }),
  );
  env.registerHelper('fileSize', (value: unknown) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new AtendeError('templates.renderFailed', `{{fileSize}} needs a size in bytes, not ${String(value)}`, {
        details: { value: String(value) },
      });
    // 1000-based, as the policy's forwardLimit ("10MB") is written.
    const power = value < 1000 ? 0 : Math.min(3, Math.floor(Math.log10(value) / 3));
    return sizeUnits[power]!.format(value / 1000 ** power);
  });

  env.registerHelper('equals', (value: unknown, expected: unknown) => value === expected);

  env.registerHelper('nonEmpty', (list: unknown) => Array.isArray(list) && list.length > 0);

  if (target === 'html') {
    env.registerHelper('paragraphs', (value: unknown) => {
      const text = textOf(value, 'paragraphs').replace(/\r\n?/g, '\n').trim();
      // Escape first, then add our own markup: the customer's text can never open a tag.
      const html = text
        .split(/\n{2,}/)
        .map(
          (paragraph) =>
            `<p style="margin:0 0 12px;">${Handlebars.escapeExpression(paragraph).replace(/\n/g, '<br>\n')}</p>`,
        )
        .join('\n');
      return new Handlebars.SafeString(html);
    });
  }
};
