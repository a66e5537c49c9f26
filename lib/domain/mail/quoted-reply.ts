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
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const cut = firstHistoryLine(lines);
  if (cut === null) return dropQuotedLines(lines).join('\n').trim();

  const above = lines.slice(0, cut).join('\n').trim();
  if (above !== '') return above;
  // Bottom-posting: the history comes first, the answer after the quoted block.
  const below = lines
    .slice(cut + 1)
    .filter((line) => !isQuoted(line))
    .join('\n')
    .trim();
  return firstHistoryLine(below.split('\n')) === null ? below : stripQuotedReply(below);
}

const isQuoted = (line: string): boolean => /^\s*>/.test(line);
const isBlank = (line: string | undefined): boolean => line === undefined || line.trim() === '';

const WRITER_VERBS =
  'wrote|writes|escribió|escribio|escreveu|schrieb|a écrit|a ecrit|ha scritto|schreef|skrev|kirjoitti|napisał|napisal|написал|написала|napsal|írta|yazdı|写道|寫道|が書きました';
/** A line that ends an attribution: the writer verb, then a colon (or nothing, as some clients write). */
const ATTRIBUTION_END = new RegExp(`(?:${WRITER_VERBS})(?:\\s*[:：]?|\\s[^:]{1,120}[:：])\\s*$`, 'iu');
/** How an attribution starts: "On", "El", "Em", "Am", "Le", "Il", "Op", "Den", "W dniu", "--- On" (Yahoo), or a date. */
const ATTRIBUTION_START =
  /^\s*(?:-{2,3}\s*)?(?:on|el|em|am|le|il|op|den|w dniu|dnia|el día|no dia)\b|^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}/i;

const SEPARATOR =
  /^\s*-{2,}\s*(?:original message|mensaje original|mensagem original|ursprüngliche nachricht|message d'origine|messaggio originale|oorspronkelijk bericht|originalmeddelande|исходное сообщение|原始邮件|元のメッセージ)\s*-{2,}\s*$/i;
const FORWARDED =
  /^\s*-{2,}\s*(?:forwarded message|mensaje reenviado|mensagem encaminhada|weitergeleitete nachricht|message transféré|messaggio inoltrato)(?![\p{L}\p{N}])/iu;

const HEADER_FROM = /^\s*\*?(?:from|de|von|van|da|от|från)\s*\*?\s*:\s*\S/i;
const HEADER_OTHER =
  /^\s*\*?(?:sent|date|to|cc|subject|enviado el|enviado|enviada em|enviada|fecha|data|para|asunto|assunto|gesendet|datum|an|betreff|envoyé|à|objet|inviato|oggetto|verzonden|onderwerp|отправлено|кому|тема|skickat|ämne)\s*\*?\s*:/i;

/** Index of the first line of quoted history, or null when there is none to cut at. */
function firstHistoryLine(lines: readonly string[]): number | null {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (FORWARDED.test(line)) return null;
    if (SEPARATOR.test(line)) return index;
    const attribution = attributionStart(lines, index);
    if (attribution !== null) return attribution;
    if (HEADER_FROM.test(line) && isHeaderBlock(lines, index) && !forwardedJustAbove(lines, index)) {
      // Outlook draws a line of underscores above the block.
      return index > 0 && /^\s*_{8,}\s*$/.test(lines[index - 1] ?? '') ? index - 1 : index;
    }
    if (isQuoted(line) && onlyQuotedFrom(lines, index)) return index;
  }
  return null;
}

/** When line `index` ends an attribution, the line it starts on (it may be wrapped over up to three lines). */
function attributionStart(lines: readonly string[], index: number): number | null {
  const line = lines[index] ?? '';
  if (isQuoted(line) || line.length > 400 || !ATTRIBUTION_END.test(line)) return null;
  // An attribution introduces quoted text or an empty line, or is the last thing.
  const next = lines.slice(index + 1).find((candidate) => !isBlank(candidate));
  const introducesQuote = next === undefined || isQuoted(next) || isBlank(lines[index + 1]);
  if (!introducesQuote) return null;
  for (let back = 0; back <= 2; back++) {
    const start = index - back;
    const candidate = lines[start];
    if (candidate === undefined || (back > 0 && isBlank(candidate))) break;
    // Wrapped over several lines, an attribution still names a date or an address; "El sistema
    // no funciona." above "Juan escribió:" is the writer's own line.
    const joined = lines.slice(start, index + 1).join(' ');
    if (ATTRIBUTION_START.test(candidate) && (back === 0 || /\d|@|</.test(joined))) return start;
  }
  // "John Doe <john@example.com> wrote:" alone on its line, with nothing that starts an attribution.
  return /\S+@\S+|\bwrote\b|escribió|escreveu|schrieb|написал/i.test(line) && line.trim().split(/\s+/).length <= 12
    ? index
    : null;
}

function isHeaderBlock(lines: readonly string[], index: number): boolean {
  const following = lines.slice(index + 1, index + 7).filter((line) => HEADER_OTHER.test(line));
  return following.length >= 2;
}

const forwardedJustAbove = (lines: readonly string[], index: number): boolean =>
  lines.slice(Math.max(0, index - 3), index).some((line) => FORWARDED.test(line));

/** From `index` on, only quoted or blank lines (and a closing signature) follow. */
function onlyQuotedFrom(lines: readonly string[], index: number): boolean {
  return lines.slice(index).every((line) => isQuoted(line) || isBlank(line));
}

/** Interleaved answers: keep the writer's lines, drop the quoted ones between them. */
function dropQuotedLines(lines: readonly string[]): string[] {
  return lines.filter((line) => !isQuoted(line));
}
