/**
 * Subject lines for threading: the normalised subject (the duplicate and threading key of
 * DESIGN "Threading") and atende's ticket tag, `[<brand tag> #<number>]`.
 */

/**
 * Reply and forward prefixes as mail clients write them, by language: Re/Fwd/Fw (English),
 * RES/ENC (Portuguese Outlook), RV (Spanish Outlook), AW/WG/Antw/Antwort (German), SV/VS
 * (Scandinavian), R/I/RIF (Italian), TR (French), Odp/PD (Polish), Ynt (Turkish), Doorst
 * (Dutch), Ref, and the Chinese and Japanese ones.
 */
const PREFIX_WORDS = [
  're',
  'fwd',
  'fw',
  'res',
  'enc',
  'rv',
  'aw',
  'wg',
  'sv',
  'vs',
  'r',
  'i',
  'rif',
  'antw',
  'antwort',
  'tr',
  'odp',
  'pd',
  'ynt',
  'doorst',
  'ref',
  '回复',
  '回覆',
  '答复',
  '转发',
  '轉寄',
  '返信',
  '転送',
  'ответ',
  'пересл',
];

/** One prefix: a word, an optional count (`Re[2]`, `Re(3)`, `Re^2`), a colon (ASCII or full-width), any spacing. */
const PREFIX = new RegExp(`^(?:${PREFIX_WORDS.join('|')})\\s*(?:\\[\\d+\\]|\\(\\d+\\)|\\^\\d+)?\\s*[:：]\\s*`, 'iu');

/** Markers that mail gateways put in front of a subject on the way in; they differ between messages of one thread. */
const GATEWAY_MARKER =
  /^(?:\[(?:external|ext|externo|externa|extern)\]|\*(?:external|ext)\*|(?:external|externo):)\s*/iu;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `[Atende #1042]`, tolerant of spacing and case: `[ atende#1042 ]`, `[ATENDE # 1042]`. */
function tagPattern(brandTag: string, flags: string): RegExp {
  const brand = brandTag.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`\\[\\s*${brand}\\s*#\\s*(\\d{1,15})\\s*\\]`, flags);
}

/**
 * The subject as a comparison key: reply and forward prefixes (any case, any order, repeated,
 * with counts), gateway markers and our own ticket tag removed, white space collapsed,
 * lower-cased. Compatibility forms are folded first (NFKC), so full-width `Ｒｅ：` is `Re:`.
 */
export function normalizeSubject(subject: string, brandTag?: string): string {
  const tag = brandTag ? tagPattern(brandTag, 'giu') : null;
  let rest = subject.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (tag) rest = rest.replace(tag, ' ').replace(/\s+/g, ' ').trim();
  for (;;) {
    const stripped = rest.replace(PREFIX, '').replace(GATEWAY_MARKER, '');
    if (stripped === rest) break;
    rest = stripped;
  }
  return rest.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The ticket number in our tag, `[<brandTag> #<number>]`, or null. With several tags, the first counts. */
export function findTicketTag(subject: string, brandTag: string): number | null {
  const digits = tagPattern(brandTag, 'iu').exec(subject.normalize('NFKC'))?.[1];
  if (digits === undefined) return null;
  const number = Number(digits);
  return Number.isSafeInteger(number) && number > 0 ? number : null;
}

/**
 * The subject with our tag for ticket `number`: unchanged when it already carries that tag,
 * otherwise with any other tag of ours removed and `[<brandTag> #<number>]` put in front.
 * Line breaks become spaces: a subject is one header line.
 */
export function tagSubject(subject: string, brandTag: string, number: number): string {
  const oneLine = subject.replace(/[\r\n]+/g, ' ').trim();
  if (findTicketTag(oneLine, brandTag) === number) return oneLine;
  const untagged = oneLine.replace(tagPattern(brandTag, 'giu'), ' ').replace(/\s+/g, ' ').trim();
  const tag = `[${brandTag.trim()} #${number}]`;
  return untagged === '' ? tag : `${tag} ${untagged}`;
}

/**
 * The subject without any tag of ours: a stranger quoting another ticket's tag must not carry it
 * into a ticket of their own (the tag would point their replies at the other ticket).
 */
export function stripTicketTags(subject: string, brandTag: string): string {
  return subject.replace(tagPattern(brandTag, 'giu'), ' ').replace(/\s+/g, ' ').trim();
}
