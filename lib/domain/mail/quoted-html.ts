import { Parser } from 'htmlparser2';
import { htmlNestingExceeds, htmlToPlainText } from './html-to-plain-text.ts';
import type { MailLimits } from './mail-limits.ts';

type HtmlLimits = Pick<MailLimits, 'maxHtmlChars' | 'maxHtmlDepth'>;

/** One line of an HTML reply as a reader sees it, and whether the writer's mail client marked it as quoted history. */
export interface HtmlReplyLine {
  readonly text: string;
  readonly quoted: boolean;
}

/**
 * Reads an HTML reply line by line, telling the writer's lines from the history their mail
 * client quoted. Quoted are the contents of:
 * - `<blockquote>` (Apple Mail's `type=cite`, Gmail's `class=gmail_quote`, Thunderbird's);
 * - Gmail's `div.gmail_quote` (with its `gmail_attr` attribution), Thunderbird's
 *   `.moz-cite-prefix` attribution, Yahoo's `.yahoo_quoted`, ProtonMail's `.protonmail_quote`;
 * - a nested `<html>` or `<body>`: a whole document pasted into the reply, as Outlook quotes
 *   the mail it answers;
 * and everything from Outlook's `#appendonsend`, `#divRplyFwdMsg` (its "From: … Sent: …"
 * block) or new Outlook's `#mail-editor-reference-message-container` to the end.
 *
 * One pass of a streaming tokenizer, without building a DOM: building one for 5 MB of small
 * elements takes seconds (html-to-text needs 3–5 s for such a body). Only the first
 * `maxHtmlChars` characters are read. HTML nested deeper than `maxHtmlDepth` is read by
 * `htmlToPlainText`'s linear tag stripper instead, every line unquoted (the tokenizer's own
 * stack makes deep nesting quadratic): the caller's checks on the text still apply to it.
 *
 * Block elements, `<br>` and table cells start lines, paragraphs are separated by a blank
 * line, list items start with "- " (or their number), and a link shows its address when its
 * text does not.
 */
export function readHtmlReplyLines(html: string, limits: HtmlLimits): HtmlReplyLine[] {
  const input = html.length > limits.maxHtmlChars ? html.slice(0, limits.maxHtmlChars) : html;
  if (htmlNestingExceeds(input, limits.maxHtmlDepth)) {
    return htmlToPlainText(input, limits)
      .split('\n')
      .map((text) => ({ text, quoted: false }));
  }
  const reader = new HtmlReplyReader(limits.maxHtmlDepth);
  const parser = new Parser(reader, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.write(input);
  parser.end();
  return reader.finish();
}

/** Quote containers by class, as mail clients write them. */
const QUOTE_CLASSES = new Set([
  'gmail_quote', // Gmail: the quoted mail, attribution included
  'gmail_quote_container', // Gmail since 2024
  'gmail_attr', // Gmail's "On … wrote:" line
  'moz-cite-prefix', // Thunderbird's "On … wrote:" line
  'yahoo_quoted', // Yahoo Mail
  'protonmail_quote', // ProtonMail
]);
/** Outlook's markers of where the answered mail starts: everything from them on is history. */
const HISTORY_FROM_HERE_IDS = new Set(['appendonsend', 'divrplyfwdmsg', 'mail-editor-reference-message-container']);

/** Elements whose content nobody reads in a mail. */
const UNSEEN = new Set(['head', 'title', 'style', 'script', 'noscript', 'template', 'svg', 'object', 'iframe']);
/** Elements that begin and end a line. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);
/** Blocks set apart from what follows by a blank line. */
const PARAGRAPHS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'table', 'pre', 'blockquote']);

/** What the reader must remember of an open element to handle its end tag. */
interface OpenElement {
  readonly name: string;
  readonly block: boolean;
  /** A block set apart by a blank line (Word's `p.MsoNormal` is one line, not a paragraph). */
  readonly paragraph: boolean;
  /** This element starts quoted history (its content is quoted). */
  readonly quotes: boolean;
  readonly unseen: boolean;
  readonly list: boolean;
  readonly link: boolean;
}

/** The record of an element without a special role, one per tag name: most elements allocate nothing. */
const ordinaryElements = new Map<string, OpenElement>();
const ordinaryElement = (name: string): OpenElement => {
  let element = ordinaryElements.get(name);
  if (element === undefined) {
    element = elementOf(name, false, PARAGRAPHS.has(name), false);
    // Tag names come from the mail: a message inventing thousands of them must not grow this for good.
    if (ordinaryElements.size < 256) ordinaryElements.set(name, element);
  }
  return element;
};
const elementOf = (name: string, quotes: boolean, paragraph: boolean, link: boolean): OpenElement => ({
  name,
  block: BLOCKS.has(name),
  paragraph,
  quotes,
  unseen: UNSEEN.has(name),
  list: name === 'ol' || name === 'ul',
  link,
});

class HtmlReplyReader {
  private readonly lines: HtmlReplyLine[] = [];
  private readonly open: OpenElement[] = [];
  /** The open lists, innermost last, with the items numbered so far (null for `<ul>`). */
  private readonly lists: (number | null)[] = [];
  /** The open links, innermost last: the address, and the text read inside (added to the innermost only). */
  private readonly links: { readonly href: string | null; text: string }[] = [];
  private lineParts: string[] = [];
  private lineHasText = false;
  private lineEndsWithSpace = false;
  private blankParagraph = false;
  private lineQuoted = false;
  private quotedDepth = 0;
  private unseenDepth = 0;
  private preDepth = 0;
  private htmlDepth = 0;
  private bodyDepth = 0;
  /** Elements beyond the depth limit are not tracked; their end tags come first (innermost), so a count matches them. */
  private untracked = 0;
  private historyFromHere = false;
  private seenText = false;

  constructor(private readonly maxDepth: number) {}

  onopentag(name: string, attributes: Record<string, string>): void {
    if (this.open.length >= this.maxDepth) {
      this.untracked++;
      return;
    }
    const element = this.elementFor(name, attributes);
    if (element.block) this.endLine(element.paragraph);
    if (name === 'br') this.breakLine();
    if (name === 'li' && this.unseenDepth === 0) {
      const counted = this.lists.length > 0 ? this.lists[this.lists.length - 1] : null;
      if (typeof counted === 'number') this.lists[this.lists.length - 1] = counted + 1;
      this.append(typeof counted === 'number' ? `${counted + 1}. ` : '- ', false);
    }
    this.open.push(element);
    if (element.list) this.lists.push(name === 'ol' ? 0 : null);
    if (element.link) this.links.push({ href: linkTarget(attributes['href']), text: '' });
    if (element.quotes) this.quotedDepth++;
    if (element.unseen) this.unseenDepth++;
    if (name === 'pre') this.preDepth++;
    if (name === 'html') this.htmlDepth++;
    if (name === 'body') this.bodyDepth++;
  }

  onclosetag(): void {
    if (this.untracked > 0) {
      this.untracked--;
      return;
    }
    const element = this.open.pop();
    if (element === undefined) return;
    if (element.list) this.lists.pop();
    if (element.link) {
      const link = this.links.pop();
      if (link?.href && this.unseenDepth === 0) this.appendLinkTarget(link.href, link.text);
    }
    if (element.quotes) this.quotedDepth--;
    if (element.unseen) this.unseenDepth--;
    if (element.name === 'pre') this.preDepth--;
    if (element.name === 'html') this.htmlDepth--;
    if (element.name === 'body') this.bodyDepth--;
    if (element.block) this.endLine(element.paragraph);
  }

  private elementFor(name: string, attributes: Record<string, string>): OpenElement {
    const id = attributes['id']?.toLowerCase();
    const className = attributes['class'];
    // A second document inside this one: the mail being answered, pasted whole.
    const nestedDocument =
      (name === 'html' && (this.htmlDepth > 0 || this.bodyDepth > 0 || this.seenText)) ||
      (name === 'body' && (this.bodyDepth > 0 || this.seenText));
    if (id === undefined && className === undefined && !nestedDocument && name !== 'blockquote' && name !== 'a') {
      return ordinaryElement(name);
    }
    if (id !== undefined && HISTORY_FROM_HERE_IDS.has(id)) this.historyFromHere = true;
    const classes = className?.split(/\s+/) ?? [];
    const quotes =
      name === 'blockquote' ||
      nestedDocument ||
      classes.some((token) => QUOTE_CLASSES.has(token)) ||
      (id?.startsWith('yahoo_quoted') ?? false);
    return elementOf(name, quotes, PARAGRAPHS.has(name) && !classes.includes('MsoNormal'), name === 'a');
  }

  ontext(data: string): void {
    if (this.unseenDepth > 0) return;
    const link = this.links[this.links.length - 1];
    if (link !== undefined) link.text += data;
    if (this.preDepth > 0) {
      const [first = '', ...rest] = data.replace(/\r\n?/g, '\n').split('\n');
      this.append(first, true);
      for (const line of rest) {
        this.breakLine();
        this.append(line, true);
      }
      return;
    }
    // Word writes a blank line as a paragraph holding only a no-break space.
    if (!this.lineHasText && data.includes('\u00a0') && data.trim() === '') this.blankParagraph = true;
    // Most text has single spaces only: testing is cheaper than replacing nothing.
    this.append(/[^\S ]| {2}/.test(data) ? data.replace(/\s+/g, ' ') : data, false);
  }

  finish(): HtmlReplyLine[] {
    this.endLine(false);
    while (this.lines.length > 0 && this.lines[this.lines.length - 1]?.text === '') this.lines.pop();
    return this.lines;
  }

  private get quoted(): boolean {
    return this.quotedDepth > 0 || this.historyFromHere;
  }

  private append(text: string, keepSpaces: boolean): void {
    if (text === '') return;
    const quoted = this.quoted;
    if (this.lineHasText && this.lineQuoted !== quoted) this.endLine(false);
    if (!this.lineHasText) {
      this.lineQuoted = quoted;
      if (!keepSpaces) text = text.trimStart();
      if (text === '') return;
    } else if (!keepSpaces && this.lineEndsWithSpace && text.startsWith(' ')) {
      text = text.slice(1);
      if (text === '') return;
    }
    if (!this.seenText && /\S/.test(text)) this.seenText = true;
    // Parts joined once per line: inspecting a string built by += flattens it, quadratic over a long line.
    this.lineParts.push(text);
    this.lineHasText = true;
    this.lineEndsWithSpace = text.endsWith(' ');
  }

  private appendLinkTarget(href: string, text: string): void {
    const shown = text.replace(/[\s\u00a0]+/g, ' ').trim();
    if (shown === '' || shown === href || `mailto:${shown}` === href || href.includes(shown)) return;
    this.append(` <${href}>`, false);
  }

  /** Ends the current line if it has text; with `paragraph`, leaves a blank line after it. */
  private endLine(paragraph: boolean): void {
    const blank = this.blankParagraph;
    const text = this.takeLine();
    if (text.trim() !== '') this.push(text);
    if ((paragraph || blank) && this.lines.length > 0 && this.lines[this.lines.length - 1]?.text !== '') this.push('');
  }

  /** A `<br>` or a line break in `<pre>`: ends the line even when it is empty. */
  private breakLine(): void {
    const text = this.takeLine();
    // Never two blank lines in a row: a run of <br> is one paragraph break.
    if (text.trim() === '' && (this.lines.length === 0 || this.lines[this.lines.length - 1]?.text === '')) return;
    this.push(text.trim() === '' ? '' : text);
  }

  private takeLine(): string {
    const text = this.lineHasText ? this.lineParts.join('').trimEnd() : '';
    this.lineParts = [];
    this.lineHasText = false;
    this.lineEndsWithSpace = false;
    this.blankParagraph = false;
    return text;
  }

  private push(text: string): void {
    this.lines.push({ text, quoted: text === '' ? this.quoted : this.lineQuoted });
  }
}

/** The address a link shows beside its text: web and mail links only (a `javascript:` URL is not worth a reader's eye). */
function linkTarget(href: string | undefined): string | null {
  const trimmed = (href ?? '').trim();
  return /^(?:https?:|mailto:)/i.test(trimmed) ? trimmed : null;
}
