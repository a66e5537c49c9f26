import { compile } from 'html-to-text';
import type { MailLimits } from './mail-limits.ts';

type HtmlLimits = Pick<MailLimits, 'maxHtmlChars' | 'maxHtmlDepth'> &
  Partial<Pick<MailLimits, 'maxHtmlConvertedChars'>>;

const SKIPPED = ['head', 'title', 'style', 'script', 'noscript', 'template', 'img', 'svg', 'object', 'iframe'];

/**
 * Reads the text a person sees in an HTML body. Headings and table headers are kept in the
 * case they were written (html-to-text upper-cases them by default, which would make every
 * HTML newsletter look like shouting), images and scripts are dropped, a link shows its URL
 * only when the text does not already say it, and lines are not re-wrapped. Quoted
 * `<blockquote>` history comes out as `> ` lines, which is what reply stripping looks for.
 *
 * Only the first `maxHtmlChars` characters are read. HTML longer than `maxHtmlConvertedChars`
 * (the converter is slow on dense markup) or nested deeper than `maxHtmlDepth`
 * is read by a plain linear tag stripper instead: building a DOM of a 100,000-deep nesting
 * takes seconds and grows faster than the input (a cheap denial of service), and
 * converting it recurses once per level.
 */
export function htmlToPlainText(html: string, limits: HtmlLimits): string {
  const input = html.length > limits.maxHtmlChars ? html.slice(0, limits.maxHtmlChars) : html;
  const tooLongToConvert = input.length > (limits.maxHtmlConvertedChars ?? Number.POSITIVE_INFINITY);
  const text =
    tooLongToConvert || htmlNestingExceeds(input, limits.maxHtmlDepth) ? stripTags(input) : converterFor(limits)(input);
  return text.trim();
}

const converters = new Map<string, (html: string) => string>();

function converterFor(limits: HtmlLimits): (html: string) => string {
  const key = `${limits.maxHtmlChars}/${limits.maxHtmlDepth}`;
  const cached = converters.get(key);
  if (cached) return cached;
  const converter = compile({
    wordwrap: false,
    limits: { maxInputLength: limits.maxHtmlChars, maxDepth: limits.maxHtmlDepth, ellipsis: '…' },
    // A page without <body> (common in mail) is read whole, <head> and <title> excepted.
    baseElements: { selectors: ['body'], returnDomByDefault: true },
    selectors: [
      ...SKIPPED.map((selector) => ({ selector, format: 'skip' })),
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, noAnchorUrl: true, linkBrackets: ['<', '>'] } },
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
      // Mail uses tables for layout: each cell reads as a line of its own, in the case it was written.
      { selector: 'table', options: { uppercaseHeaderCells: false } },
      ...['tr', 'td', 'th'].map((selector) => ({
        selector,
        format: 'block',
        options: { leadingLineBreaks: 1, trailingLineBreaks: 1 },
      })),
    ],
  });
  converters.set(key, converter);
  return converter;
}

// Elements that hold no content, and elements whose end tag HTML lets the writer leave out
// (p, li, td …): neither opens a level that a missing end tag would leave open.
const FLAT = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
  'p',
  'li',
  'dt',
  'dd',
  'option',
  'optgroup',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'rt',
  'rp',
]);

/**
 * One linear pass: does any element sit deeper than `maxDepth`? (An estimate erring on "yes"
 * for sloppy HTML.) Parsers keep a stack of open elements and search or shift it per tag
 * (htmlparser2 unshifts it), so reading deeper HTML with them is quadratic.
 */
export function htmlNestingExceeds(html: string, maxDepth: number): boolean {
  let depth = 0;
  let index = html.indexOf('<');
  while (index >= 0) {
    if (html.startsWith('<!--', index)) {
      const end = html.indexOf('-->', index + 4);
      if (end < 0) return false;
      index = html.indexOf('<', end + 3);
      continue;
    }
    const end = html.indexOf('>', index + 1);
    if (end < 0) return false;
    const tag = /^<(\/?)([A-Za-z][A-Za-z0-9:-]*)/.exec(html.slice(index, Math.min(end + 1, index + 64)));
    if (tag) {
      const name = (tag[2] ?? '').toLowerCase();
      if (tag[1] === '/') depth = Math.max(0, depth - (FLAT.has(name) ? 0 : 1));
      else if (!FLAT.has(name) && html[end - 1] !== '/' && ++depth > maxDepth) return true;
    }
    index = html.indexOf('<', end + 1);
  }
  return false;
}

const BLOCK_END = /^(br|p|div|tr|li|h[1-6]|table|blockquote|pre|hr)$/;
const RAW_TEXT = new Set(['script', 'style', 'head', 'title', 'noscript', 'template']);

/** Text between the tags, in one linear pass, for HTML too deeply nested for the converter. */
function stripTags(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let index = 0;
  while (index < html.length) {
    const open = html.indexOf('<', index);
    if (open < 0) {
      out += html.slice(index);
      break;
    }
    out += html.slice(index, open);
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4);
      if (end < 0) break;
      index = end + 3;
      continue;
    }
    const close = html.indexOf('>', open + 1);
    if (close < 0) break;
    const name = /^<\/?([a-z][a-z0-9:-]*)/.exec(lower.slice(open, Math.min(close + 1, open + 64)))?.[1] ?? '';
    index = close + 1;
    if (RAW_TEXT.has(name) && html[open + 1] !== '/') {
      const end = lower.indexOf(`</${name}`, index);
      index = end < 0 ? html.length : end;
      continue;
    }
    if (BLOCK_END.test(name)) out += '\n';
  }
  return decodeEntities(out)
    .replace(/[ \t\f\r]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,6});/g, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}
