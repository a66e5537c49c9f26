/**
 * The new part of a reply: what the writer added, without the history their mail client
 * quoted below (or, bottom-posting, above) it. Quoting styles recognised:
 * - `> ` quoted lines (RFC 3676 §4.5), as plain-text clients and html-to-text write them;
 * - attribution lines, possibly wrapped over three lines: "On … wrote:", "El … escribió:",
 *   "Em … escreveu:", "Am … schrieb …:", "Le … a écrit :", "… написал:" and others;
 * - Outlook, Yahoo, AOL separators: "-----Original Message-----", "-----Mensaje original-----",
 *   "-----Mensagem original-----", "-----Ursprüngliche Nachricht-----" …;
 * - Outlook header blocks without a separator: "From: … Sent: … To: … Subject: …" and their
 *   translations ("De: … Enviado el: … Para: … Asunto: …", "De: … Enviada em: … Assunto: …",
 *   "Von: … Gesendet: … Betreff: …"), often after a line of underscores.
 * A forwarded message ("---------- Forwarded message ---------") is content, not history.
 *
 * Linear in the text: every line is looked at a bounded number of times (a 200 KB body of
 * interleaved `>` lines took 8 s, and one of 9,000 blank-separated attributions exhausted the
 * heap, when each line re-scanned or copied the rest of the message).
 */
export function stripQuotedReply(text: string): string {
  const lines = splitLines(text);
  const cut = firstHistoryLine(new LineScan(lines), 0);
  if (cut === null) return dropQuotedLines(lines).join('\n').trim();

  const above = lines.slice(0, cut).join('\n').trim();
  if (above !== '') return above;
  // Bottom-posting: the history comes first, the answer after the quoted block; that answer
  // may itself start with history again (a reply quoting a reply), so cut until words remain.
  const below = trimmedWindow(lines.slice(cut + 1).filter((line) => !isQuoted(line)));
  const scan = new LineScan(below);
  let from = firstNonBlank(scan, 0);
  for (;;) {
    if (from >= below.length) return '';
    below[from] = (below[from] ?? '').trimStart();
    const next = firstHistoryLine(scan, from);
    if (next === null) return below.slice(from).join('\n');
    const words = below.slice(from, next).join('\n').trim();
    if (words !== '') return words;
    from = firstNonBlank(scan, next + 1);
  }
}

/**
 * What the writer put above the first line of quoted history, with quoted lines dropped and
 * without looking below the history for a bottom-posted answer: for text in which everything
 * after the history is history too (an agent's reply cut at the reply marker of our notice,
 * an HTML reply whose quote containers are already gone).
 */
export function textAboveQuotedHistory(text: string): string {
  const lines = splitLines(text);
  const cut = firstHistoryLine(new LineScan(lines), 0);
  return dropQuotedLines(cut === null ? lines : lines.slice(0, cut))
    .join('\n')
    .trim();
}

/**
 * The text without the writer's signature: everything from the first signature separator line
 * (RFC 3676 §4.3: "-- " alone on a line; "--" too, as clients that trim trailing spaces leave
 * it) down. Only the first one cuts: a second separator is inside what is already gone.
 */
export function withoutSignature(text: string): string {
  const lines = splitLines(text);
  const separator = lines.findIndex((line) => line === '-- ' || line === '--');
  return separator < 0 ? text : lines.slice(0, separator).join('\n').trimEnd();
}

/** "---------- Forwarded message ---------" and its translations: what follows is a forwarded mail. */
export const isForwardedMessageLine = (line: string): boolean => FORWARDED.test(line);

const splitLines = (text: string): string[] => text.replace(/\r\n?/g, '\n').split('\n');
const isQuoted = (line: string): boolean => /^\s*>/.test(line);
const isBlank = (line: string | undefined): boolean => line === undefined || line.trim() === '';

/** Part of a pattern, named for the language or mail client that writes it. */
interface NamedPattern {
  readonly name: string;
  readonly source: string;
}

const anyOf = (patterns: readonly NamedPattern[]): string => patterns.map((pattern) => pattern.source).join('|');

/** The verb an attribution line ends with. */
const WRITER_VERBS: readonly NamedPattern[] = [
  { name: 'English', source: 'wrote|writes' },
  { name: 'Spanish', source: 'escribió|escribio' },
  { name: 'Portuguese', source: 'escreveu' },
  { name: 'German', source: 'schrieb' },
  { name: 'French', source: 'a écrit|a ecrit' },
  { name: 'Italian', source: 'ha scritto' },
  { name: 'Dutch', source: 'schreef' },
  { name: 'Danish, Norwegian, Swedish', source: 'skrev' },
  { name: 'Finnish', source: 'kirjoitti' },
  { name: 'Polish', source: 'napisał|napisal' },
  { name: 'Russian', source: 'написал|написала' },
  { name: 'Czech', source: 'napsal' },
  { name: 'Hungarian', source: 'írta' },
  { name: 'Turkish', source: 'yazdı' },
  { name: 'Chinese', source: '写道|寫道' },
  { name: 'Japanese', source: 'が書きました' },
];

/** How an attribution starts: "On", "El", "Em", "Am" … or "--- On" (Yahoo). */
const ATTRIBUTION_OPENERS: readonly NamedPattern[] = [
  { name: 'English', source: 'on' },
  { name: 'Spanish', source: 'el' },
  { name: 'Portuguese', source: 'em' },
  { name: 'German', source: 'am' },
  { name: 'French', source: 'le' },
  { name: 'Italian', source: 'il' },
  { name: 'Dutch', source: 'op' },
  { name: 'Danish, Norwegian, Swedish', source: 'den' },
  { name: 'Polish', source: 'w dniu|dnia' },
  { name: 'Spanish, long form', source: 'el día' },
  { name: 'Portuguese, long form', source: 'no dia' },
];

/** The words between the dashes of an "-----Original Message-----" separator. */
const ORIGINAL_MESSAGE: readonly NamedPattern[] = [
  { name: 'English', source: 'original message' },
  { name: 'Spanish', source: 'mensaje original' },
  { name: 'Portuguese', source: 'mensagem original' },
  { name: 'German', source: 'ursprüngliche nachricht' },
  { name: 'French', source: "message d'origine" },
  { name: 'Italian', source: 'messaggio originale' },
  { name: 'Dutch', source: 'oorspronkelijk bericht' },
  { name: 'Swedish', source: 'originalmeddelande' },
  { name: 'Russian', source: 'исходное сообщение' },
  { name: 'Chinese', source: '原始邮件' },
  { name: 'Japanese', source: '元のメッセージ' },
];

/** The words after the dashes of a "---------- Forwarded message ---------" line. */
const FORWARDED_MESSAGE: readonly NamedPattern[] = [
  { name: 'English', source: 'forwarded message' },
  { name: 'Spanish', source: 'mensaje reenviado' },
  { name: 'Portuguese', source: 'mensagem encaminhada' },
  { name: 'German', source: 'weitergeleitete nachricht' },
  { name: 'French', source: 'message transféré' },
  { name: 'Italian', source: 'messaggio inoltrato' },
];

/** The first label of a quoted header block: "From:" and its translations. */
const FROM_LABELS: readonly NamedPattern[] = [
  { name: 'English', source: 'from' },
  { name: 'Spanish, Portuguese, French', source: 'de' },
  { name: 'German', source: 'von' },
  { name: 'Dutch', source: 'van' },
  { name: 'Italian', source: 'da' },
  { name: 'Russian', source: 'от' },
  { name: 'Swedish', source: 'från' },
];

/** The other labels of a quoted header block: "Sent:", "To:", "Subject:" and their translations. */
const HEADER_LABELS: readonly NamedPattern[] = [
  { name: 'English', source: 'sent|date|to|cc|subject' },
  { name: 'Spanish', source: 'enviado el|enviado' },
  { name: 'Portuguese', source: 'enviada em|enviada' },
  { name: 'Spanish and Portuguese', source: 'fecha|data|para|asunto|assunto' },
  { name: 'German', source: 'gesendet|datum|an|betreff' },
  { name: 'French', source: 'envoyé|à|objet' },
  { name: 'Italian', source: 'inviato|oggetto' },
  { name: 'Dutch', source: 'verzonden|onderwerp' },
  { name: 'Russian', source: 'отправлено|кому|тема' },
  { name: 'Swedish', source: 'skickat|ämne' },
];

/** A line that ends an attribution: the writer verb, then a colon (or nothing, as some clients write). */
const ATTRIBUTION_END = new RegExp(`(?:${anyOf(WRITER_VERBS)})(?:\\s*[:：]?|\\s[^:]{1,120}[:：])\\s*$`, 'iu');
/** An attribution starts with an opener word, or with a date. */
const ATTRIBUTION_START = new RegExp(
  `^\\s*(?:-{2,3}\\s*)?(?:${anyOf(ATTRIBUTION_OPENERS)})\\b|^\\s*\\d{1,4}[./-]\\d{1,2}[./-]\\d{1,4}`,
  'i',
);
/** "John Doe <john@example.com> wrote:" alone on its line: it names an address or a writer verb. */
const LONE_ATTRIBUTION = /\S+@\S+|\bwrote\b|escribió|escreveu|schrieb|написал/i;

const SEPARATOR = new RegExp(`^\\s*-{2,}\\s*(?:${anyOf(ORIGINAL_MESSAGE)})\\s*-{2,}\\s*$`, 'i');
const FORWARDED = new RegExp(`^\\s*-{2,}\\s*(?:${anyOf(FORWARDED_MESSAGE)})(?![\\p{L}\\p{N}])`, 'iu');

/*
 * A label, optional emphasis and a colon: `\s*(?:\*\s*)?:` reads what `\s*\*?\s*:` did, but
 * only one way, so "From" followed by 200 KB of spaces is not tried at every split of them.
 */
const HEADER_FROM = new RegExp(`^\\s*\\*?(?:${anyOf(FROM_LABELS)})\\s*(?:\\*\\s*)?:\\s*\\S`, 'i');
const HEADER_OTHER = new RegExp(`^\\s*\\*?(?:${anyOf(HEADER_LABELS)})\\s*(?:\\*\\s*)?:`, 'i');
/** Outlook draws a line of underscores above its header block. */
const UNDERSCORE_RULE = /^\s*_{8,}\s*$/;

/** Facts about the lines of one text, each computed once, so no check re-reads the rest of the text. */
class LineScan {
  /** For each line, the index of the next non-blank line after it (`lines.length` when none). */
  readonly nextNonBlank: readonly number[];
  /** For each line, whether it and every line after it is quoted or blank. */
  readonly onlyQuotedFrom: readonly boolean[];

  constructor(readonly lines: readonly string[]) {
    const nextNonBlank = new Array<number>(lines.length);
    const onlyQuotedFrom = new Array<boolean>(lines.length);
    let next = lines.length;
    let quotedTail = true;
    for (let index = lines.length - 1; index >= 0; index--) {
      nextNonBlank[index] = next;
      const line = lines[index] ?? '';
      quotedTail = quotedTail && (isQuoted(line) || isBlank(line));
      onlyQuotedFrom[index] = quotedTail;
      if (!isBlank(line)) next = index;
    }
    this.nextNonBlank = nextNonBlank;
    this.onlyQuotedFrom = onlyQuotedFrom;
  }
}

/** The first non-blank line at or after `from` (`lines.length` when none). */
const firstNonBlank = (scan: LineScan, from: number): number =>
  from >= scan.lines.length || !isBlank(scan.lines[from]) ? from : (scan.nextNonBlank[from] ?? scan.lines.length);

/**
 * Index of the first line of quoted history at or after `from`, or null when there is none to
 * cut at. Lines before `from` are not part of the text being read (nothing looks back past it).
 */
function firstHistoryLine(scan: LineScan, from: number): number | null {
  const { lines } = scan;
  for (let index = from; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (FORWARDED.test(line)) return null;
    if (SEPARATOR.test(line)) return index;
    const attribution = attributionStart(scan, from, index);
    if (attribution !== null) return attribution;
    if (HEADER_FROM.test(line) && isHeaderBlock(lines, index) && !forwardedJustAbove(lines, from, index)) {
      return index > from && UNDERSCORE_RULE.test(lines[index - 1] ?? '') ? index - 1 : index;
    }
    if (isQuoted(line) && scan.onlyQuotedFrom[index]) return index;
  }
  return null;
}

/** When line `index` ends an attribution, the line it starts on (it may be wrapped over up to three lines). */
function attributionStart(scan: LineScan, from: number, index: number): number | null {
  const { lines } = scan;
  const line = lines[index] ?? '';
  if (isQuoted(line) || line.length > 400 || !ATTRIBUTION_END.test(line)) return null;
  // An attribution introduces quoted text or an empty line, or is the last thing.
  const next = lines[scan.nextNonBlank[index] ?? lines.length];
  const introducesQuote = next === undefined || isQuoted(next) || isBlank(lines[index + 1]);
  if (!introducesQuote) return null;
  for (let back = 0; back <= 2; back++) {
    const start = index - back;
    const candidate = start >= from ? lines[start] : undefined;
    if (candidate === undefined || (back > 0 && isBlank(candidate))) break;
    // Wrapped over several lines, an attribution still names a date or an address; "El sistema
    // no funciona." above "Juan escribió:" is the writer's own line.
    const joined = lines.slice(start, index + 1).join(' ');
    if (ATTRIBUTION_START.test(candidate) && (back === 0 || /\d|@|</.test(joined))) return start;
  }
  // "John Doe <john@example.com> wrote:" alone on its line, with nothing that starts an attribution.
  return LONE_ATTRIBUTION.test(line) && line.trim().split(/\s+/).length <= 12 ? index : null;
}

function isHeaderBlock(lines: readonly string[], index: number): boolean {
  const following = lines.slice(index + 1, index + 7).filter((line) => HEADER_OTHER.test(line));
  return following.length >= 2;
}

const forwardedJustAbove = (lines: readonly string[], from: number, index: number): boolean =>
  lines.slice(Math.max(from, index - 3), index).some((line) => FORWARDED.test(line));

/** Lines as `String.prototype.trim` would leave their join: no blank lines at the end, the last one right-trimmed. */
function trimmedWindow(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && isBlank(lines[end - 1])) end--;
  const kept = lines.slice(0, end);
  if (end > 0) kept[end - 1] = (kept[end - 1] ?? '').trimEnd();
  return kept;
}

/** Interleaved answers: keep the writer's lines, drop the quoted ones between them. */
function dropQuotedLines(lines: readonly string[]): string[] {
  return lines.filter((line) => !isQuoted(line));
}
