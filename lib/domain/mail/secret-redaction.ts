/**
 * Masks secrets customers paste into support mail (DESIGN: "Secrets are masked in stored text,
 * keeping only the first and last characters, and the acknowledgement says so"). A missed
 * secret stays readable by everyone with access to tickets; a false alarm garbles an order
 * number or a Message-ID an agent needs. So each detector looks for evidence, not just length:
 * a known key format, a label ("password:", "Bearer"), a checksum (Luhn), or the shape of
 * random data.
 */

export type SecretKind = 'api-key' | 'password' | 'token' | 'card-number';

export interface SecretFinding {
  readonly kind: SecretKind;
  /** Which detector matched, e.g. `stripe-key`, `password-label`, `luhn`. */
  readonly detector: string;
  /** Position and length of the secret in the original text (UTF-16 code units). */
  readonly index: number;
  readonly length: number;
  /** The secret as it now reads, e.g. `s*********9`. */
  readonly masked: string;
}

export interface MaskedText {
  readonly text: string;
  readonly found: readonly SecretFinding[];
}

interface Candidate {
  readonly kind: SecretKind;
  readonly detector: string;
  readonly index: number;
  readonly length: number;
  /** Higher wins when two candidates overlap. */
  readonly priority: number;
}

/** Keeps the first and the last character and stars the rest; separators of a card number stay. */
export function maskValue(secret: string, kind: SecretKind = 'api-key'): string {
  const chars = [...secret];
  if (chars.length <= 2) return '*'.repeat(chars.length);
  const keep = (char: string, position: number) =>
    position === 0 || position === chars.length - 1 || (kind === 'card-number' && /[\s-]/.test(char));
  return chars.map((char, position) => (keep(char, position) ? char : '*')).join('');
}

/** Finds and masks secrets in `text`. Pure; the same text always gives the same result. */
export function maskSecrets(text: string): MaskedText {
  const excluded = excludedSpans(text);
  const candidates = [
    ...knownKeys(text),
    ...labelledSecrets(text),
    ...passwords(text, excluded),
    ...cardNumbers(text, excluded),
    ...randomTokens(text, excluded),
  ];
  const chosen = pickNonOverlapping(text, candidates);
  let masked = '';
  let cursor = 0;
  const found: SecretFinding[] = [];
  for (const candidate of chosen) {
    const secret = text.slice(candidate.index, candidate.index + candidate.length);
    const replacement = maskValue(secret, candidate.kind);
    masked += text.slice(cursor, candidate.index) + replacement;
    cursor = candidate.index + candidate.length;
    found.push({
      kind: candidate.kind,
      detector: candidate.detector,
      index: candidate.index,
      length: candidate.length,
      masked: replacement,
    });
  }
  return { text: masked + text.slice(cursor), found };
}

/**
 * The strongest candidates that do not overlap, in text order. Overlap is checked against a map
 * of the characters already taken, not against every candidate chosen so far: 40,000 findings
 * (200 KB of `pw:1 `) made that pairwise check take seconds. Each detector's own matches do not
 * overlap, so the characters looked at add up to a few times the text's length.
 */
function pickNonOverlapping(text: string, candidates: readonly Candidate[]): Candidate[] {
  const byStrength = [...candidates].sort(
    (a, b) => b.priority - a.priority || b.length - a.length || a.index - b.index,
  );
  const taken = new Uint8Array(text.length);
  const free = (candidate: Candidate) => {
    const end = candidate.index + candidate.length;
    for (let position = candidate.index; position < end; position++) if (taken[position] === 1) return false;
    return true;
  };
  const chosen: Candidate[] = [];
  for (const candidate of byStrength) {
    if (!free(candidate)) continue;
    taken.fill(1, candidate.index, candidate.index + candidate.length);
    chosen.push(candidate);
  }
  return chosen.sort((a, b) => a.index - b.index);
}

function* matches(text: string, pattern: RegExp, group = 0): Generator<{ index: number; value: string }> {
  // The "d" flag gives each group's own offsets.
  const withIndices = pattern.hasIndices ? pattern : new RegExp(pattern.source, `${pattern.flags}d`);
  for (const match of text.matchAll(withIndices)) {
    const value = match[group];
    const start = match.indices?.[group]?.[0];
    if (value !== undefined && start !== undefined) yield { index: start, value };
  }
}

// ---- known key formats: masked wherever they appear --------------------------------------

const KNOWN_KEYS: readonly { detector: string; kind: SecretKind; pattern: RegExp }[] = [
  { detector: 'stripe-key', kind: 'api-key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{10,}\b/g },
  { detector: 'stripe-webhook-secret', kind: 'api-key', pattern: /\bwhsec_[0-9A-Za-z]{20,}\b/g },
  {
    detector: 'aws-access-key-id',
    kind: 'api-key',
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[0-9A-Z]{16}\b/g,
  },
  {
    detector: 'github-token',
    kind: 'token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/g,
  },
  { detector: 'gitlab-token', kind: 'token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { detector: 'slack-token', kind: 'token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { detector: 'google-api-key', kind: 'api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { detector: 'sendgrid-key', kind: 'api-key', pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g },
  { detector: 'openai-key', kind: 'api-key', pattern: /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b/g },
  { detector: 'npm-token', kind: 'token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { detector: 'mailgun-key', kind: 'api-key', pattern: /\bkey-[0-9a-f]{32}\b/g },
];

function* knownKeys(text: string): Generator<Candidate> {
  for (const { detector, kind, pattern } of KNOWN_KEYS) {
    for (const { index, value } of matches(text, pattern))
      yield { kind, detector, index, length: value.length, priority: 4 };
  }
  for (const { index, value } of jsonWebTokens(text))
    yield { kind: 'token', detector: 'jwt', index, length: value.length, priority: 4 };
  for (const span of blocks(
    text,
    /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/g,
    /-----END (?:[A-Z]+ )?PRIVATE KEY-----/g,
  )) {
    yield { kind: 'api-key', detector: 'private-key', index: span.start, length: span.end - span.start, priority: 4 };
  }
}

/** Three base64url segments, each run of segment characters tried once, from its start. */
const DOTTED_RUNS = /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]+)\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

/**
 * JSON Web Tokens: `eyJ` (base64url of `{"`) at the start of a word, eight or more segment
 * characters, then a second segment that starts with `eyJ` too, then a third. The pattern
 * `/\beyJ[A-Za-z0-9_-]{8,}\.eyJ…/` read this, but it starts again after every `-` of a long
 * run (200 KB of `eyJ-` took seconds). Here a run is read once: the token starts at the first
 * `eyJ` of the run that begins a word and leaves eight characters before the dot.
 */
function* jsonWebTokens(text: string): Generator<{ index: number; value: string }> {
  DOTTED_RUNS.lastIndex = 0;
  for (let match = DOTTED_RUNS.exec(text); match !== null; match = DOTTED_RUNS.exec(text)) {
    const run = match[1] ?? '';
    const start = firstTokenStart(run);
    if (start >= 0) {
      yield { index: match.index + start, value: match[0].slice(start) };
      continue;
    }
    // The second segment may itself start a token: read on from it.
    DOTTED_RUNS.lastIndex = match.index + run.length + 1;
  }
}

/** Where in a run of segment characters a token can start: an `eyJ` at a word start with eight more characters. */
function firstTokenStart(run: string): number {
  for (let at = run.indexOf('eyJ'); at >= 0 && at + 11 <= run.length; at = run.indexOf('eyJ', at + 1)) {
    if (at === 0 || run[at - 1] === '-') return at;
  }
  return -1;
}

/**
 * Spans from a begin marker to the next end marker, found in one pass: a lazy `[\s\S]*?`
 * between them would rescan the rest of the text for every begin marker without an end.
 */
function blocks(text: string, begin: RegExp, end: RegExp): Span[] {
  const spans: Span[] = [];
  begin.lastIndex = 0;
  for (let start = begin.exec(text); start !== null; start = begin.exec(text)) {
    end.lastIndex = start.index + start[0].length;
    const stop = end.exec(text);
    if (stop === null) break;
    spans.push({ start: start.index, end: stop.index + stop[0].length });
    begin.lastIndex = end.lastIndex;
  }
  return spans;
}

// ---- labelled secrets: "Bearer …", "api_key=…", "Authorization: Basic …" ------------------

const BEARER = /\b(?:Bearer|Basic|Token)\s+([A-Za-z0-9\-._~+/]{16,}=*)/g;
const LABELLED_KEY =
  /(?<![A-Za-z0-9])(?:api[_ -]?key|apikey|api[_ -]?secret|client[_ -]?secret|secret[_ -]?key|secret[_ -]?access[_ -]?key|access[_ -]?key|access[_ -]?token|auth[_ -]?token|refresh[_ -]?token|private[_ -]?key|x-api-key)\s*(?:["']\s*)?[:=]\s*["']?([A-Za-z0-9\-._~+/=]{12,})/gi;

function* labelledSecrets(text: string): Generator<Candidate> {
  for (const { index, value } of matches(text, BEARER, 1))
    yield { kind: 'token', detector: 'bearer', index, length: value.length, priority: 3 };
  for (const { index, value } of matches(text, LABELLED_KEY, 1)) {
    if (!/\d/.test(value) || /^(.)\1+$/.test(value)) continue; // "api key: see-the-docs-page" is prose
    yield { kind: 'api-key', detector: 'key-label', index, length: value.length, priority: 3 };
  }
}

// ---- passwords after a label, in the languages atende answers in ---------------------------

const PASSWORD_WORDS =
  'password|passwd|pwd|pw|pass|passcode|senha|contraseña|contrasena|clave|passwort|kennwort|пароль|mot de passe|wachtwoord|lösenord';
/** `password: x`, `senha = x`, `password is x`, `senha é x`, `contraseña es x`, `Passwort ist x`, `пароль — x`. */
const PASSWORD = new RegExp(
  // "palabra clave" is a keyword, not a password.
  `(?<![\\p{L}\\p{N}_])(?<!palabra )(?<label>${PASSWORD_WORDS})(?![\\p{L}\\p{N}_])` +
    // Horizontal space only: "Password:" at the end of a line labels nothing on the next one.
    `(?:[ \\t]*[:=][ \\t]*|[ \\t]+[-—–][ \\t]+|[ \\t]+(?<word>is|é|e|es|ist|est)[ \\t]+)` +
    // A quoted password may hold spaces; an unquoted one ends at the first.
    `(?:(?<quote>["'])(?<quoted>[^"'\\r\\n]{1,128})\\k<quote>|(?<value>[^\\s"']{1,128}))`,
  'giud',
);
const SHORT_LABELS = /^(pw|pwd|pass)$/i;
/** Words that follow "password is" in prose, and placeholders, in the offered languages. */
const NOT_A_PASSWORD = new Set(
  [
    'incorrect',
    'wrong',
    'invalid',
    'expired',
    'not',
    'correct',
    'required',
    'the',
    'my',
    'your',
    'a',
    'same',
    'reset',
    'empty',
    'blank',
    'missing',
    'ok',
    'fine',
    'too',
    'still',
    'being',
    'now',
    'also',
    'changed',
    'forgotten',
    'lost',
    'locked',
    'weak',
    'strong',
    'case-sensitive',
    'sent',
    'incorreta',
    'incorreto',
    'inválida',
    'invalida',
    'errada',
    'expirada',
    'obrigatória',
    'obrigatoria',
    'não',
    'nao',
    'a',
    'o',
    'minha',
    'sua',
    'nova',
    'mesma',
    'incorrecta',
    'caducada',
    'requerida',
    'obligatoria',
    'no',
    'la',
    'mi',
    'su',
    'nueva',
    'misma',
    'errónea',
    'erronea',
    'falsch',
    'abgelaufen',
    'ungültig',
    'nicht',
    'mein',
    'das',
    'neu',
    'неверный',
    'неправильный',
    'не',
    'мой',
    'here',
    'below',
    'above',
    'attached',
    'abaixo',
    'acima',
    'anexo',
    'abajo',
    'adjunto',
  ].map((word) => word.toLowerCase()),
);

function looksLikePassword(value: string, quoted: boolean, afterWord: boolean): boolean {
  if (/^[*•·x.#_-]+$/i.test(value) || /^[<[{(].*[>\]})]$/.test(value)) return false; // already masked, or a placeholder
  if (/^https?:/i.test(value) || value.includes('@')) return false;
  if (NOT_A_PASSWORD.has(value.toLowerCase())) return false;
  if (quoted) return true;
  const shaped =
    /\d/.test(value) || /[^\p{L}\p{N}]/u.test(value) || /\p{Ll}.*\p{Lu}|\p{Lu}.*\p{Lu}.*\p{Ll}/u.test(value);
  // After "is"/"é"/"es" prose is the rule: only a password-shaped word counts.
  return afterWord ? shaped && value.length >= 4 : value.length >= 4 || shaped;
}

function* passwords(text: string, excluded: readonly Span[]): Generator<Candidate> {
  for (const match of text.matchAll(PASSWORD)) {
    const { label = '', word, quoted, value: unquoted } = match.groups ?? {};
    const raw = quoted ?? unquoted;
    const start = match.indices?.groups?.[quoted === undefined ? 'value' : 'quoted']?.[0];
    if (raw === undefined || start === undefined) continue;
    const afterWord = word !== undefined;
    if (SHORT_LABELS.test(label) && afterWord) continue; // "pass is …" is English, not a label
    // Sentence punctuation after an unquoted value is not part of it.
    const value = quoted === undefined ? raw.replace(/[.,;:!?)]+$/, '') : raw;
    if (
      value.trim() === '' ||
      !looksLikePassword(value, quoted !== undefined, afterWord) ||
      inside(excluded, start, value.length)
    )
      continue;
    yield { kind: 'password', detector: 'password-label', index: start, length: value.length, priority: 3 };
  }
}

// ---- card numbers: 13–19 digits in card grouping, Luhn-valid ------------------------------

/** Continuous digits, or groups of 4 (Visa, Mastercard …) or 4-6-5 / 4-6-4 (Amex, Diners), separated by a space or dash. */
const CARD =
  /(?<![\p{L}\p{N}+(#/.@_-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\p{L}\p{N}@_]|[-./]\d)/gu;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let position = 0; position < digits.length; position++) {
    let digit = Number(digits[digits.length - 1 - position]);
    if (position % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * A number its writer labels as an identifier is one, however Luhn-valid (one number in ten is):
 * `Report-ID: 2244696771454641389` (a DMARC report's subject), `Order #4539…`, `Pedido nº …`.
 * Read over the few characters before the number only.
 */
const IDENTIFIER_LABEL =
  /(?:\b(?:id|report-id|order|invoice|ref|reference|tracking|ticket|case|pedido|fatura|factura|protocolo|nota|n[º°o])\.?\s*(?:number|no\.?|n[º°o]\.?|#)?\s*[:#=]?\s*)$/i;
const LABEL_LOOKBEHIND_CHARS = 40;

function* cardNumbers(text: string, excluded: readonly Span[]): Generator<Candidate> {
  for (const { index, value } of matches(text, CARD)) {
    if (IDENTIFIER_LABEL.test(text.slice(Math.max(0, index - LABEL_LOOKBEHIND_CHARS), index))) continue;
    const digits = value.replace(/\D/g, '');
    // Issuer ranges start with 2–6 (Mastercard 2-series, Amex 3, Visa 4, Mastercard 5, Discover 6).
    if (
      digits.length < 13 ||
      digits.length > 19 ||
      !/^[2-6]/.test(digits) ||
      !luhnValid(digits) ||
      /^(\d)\1+$/.test(digits)
    )
      continue;
    if (inside(excluded, index, value.length)) continue;
    yield { kind: 'card-number', detector: 'luhn', index, length: value.length, priority: 2 };
  }
}

// ---- random-looking tokens -----------------------------------------------------------------

/** A run of key characters; "=" only as base64 padding at the end. */
const TOKEN = /(?<![A-Za-z0-9_\-+/=.@])[A-Za-z0-9_\-+/]{32,512}={0,2}(?![A-Za-z0-9_\-+/=@])/g;

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Random keys look like one long run mixing upper case, lower case and digits. Things people
 * name are made of words and numbers joined by separators (`TLS_ECDHE_RSA_WITH_AES_256`,
 * `Outlook-Express-Macintosh-Edition/5.02`, `/org/freedesktop/Hal/devices`), and hex or
 * digits alone identify things (hashes, UUIDs, SES ids) rather than unlock them.
 */
function looksRandom(token: string): boolean {
  if (token.startsWith('/') || token.endsWith('=') || (token.match(/\//g)?.length ?? 0) >= 3) return false;
  const longest = token.split(/[-_/+]/).reduce((best, part) => (part.length > best.length ? part : best), '');
  if (longest.length < 20 || /^[0-9a-f]+$/i.test(longest)) return false;
  if (!/\d/.test(longest) || !/[a-z]/.test(longest) || !/[A-Z]/.test(longest)) return false;
  return entropy(longest) >= 4;
}

function* randomTokens(text: string, excluded: readonly Span[]): Generator<Candidate> {
  for (const { index, value } of matches(text, TOKEN)) {
    if (!looksRandom(value) || inside(excluded, index, value.length)) continue;
    yield { kind: 'api-key', detector: 'random-token', index, length: value.length, priority: 1 };
  }
}

// ---- what is never a secret to mask by shape alone -----------------------------------------

interface Span {
  readonly start: number;
  readonly end: number;
}

/** Whether [index, index + length) meets one of `spans`, which are sorted and merged (binary search). */
function inside(spans: readonly Span[], index: number, length: number): boolean {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const span = spans[middle];
    if (span === undefined) return false;
    if (span.end <= index) low = middle + 1;
    else if (span.start >= index + length) high = middle - 1;
    else return true;
  }
  return false;
}

function sortAndMerge(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, span.end) };
    else merged.push(span);
  }
  return merged;
}

/**
 * Where shape alone proves nothing, so only known key formats and labelled secrets are masked:
 * - URLs, e-mail addresses and Message-IDs (`<…@…>`): random by nature, needed by agents;
 * - encoded data pasted or quoted into the text: base64 blocks (two or more long lines),
 *   uuencoded and PGP blocks, RFC 2047 encoded words;
 * - header fields of quoted or bounced messages (DKIM and ARC signatures, Exchange
 *   diagnostics, Received), with their folded continuation lines.
 */
function excludedSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const pattern of [
    /\bhttps?:\/\/[^\s<>"]+/gi,
    // Anchored at the start of a word: unanchored, "[^…]+@" rescans the rest of every long word.
    /(?<![^\s<>()"',;:])[^\s<>()"',;:@]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
    /=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=/g, // RFC 2047 encoded words of quoted headers
  ]) {
    for (const { index, value } of matches(text, pattern)) spans.push({ start: index, end: index + value.length });
  }
  // `<…@…>`, read as any bracketed word and then tested for an inner "@": /<[^<>\s]+@[^<>\s]+>/
  // backtracked over every "@" of a long word without a closing bracket.
  for (const { index, value } of matches(text, /<[^<>\s]+>/g)) {
    if (value.slice(2, -2).includes('@')) spans.push({ start: index, end: index + value.length });
  }
  return sortAndMerge([
    ...spans,
    ...blocks(text, /^begin [0-7]{3} \S.*$/gm, /^end$/gm),
    ...blocks(text, /-----BEGIN PGP [A-Z ]+-----/g, /-----END PGP [A-Z ]+-----/g),
    ...encodedAndHeaderLines(text),
  ]);
}

const BASE64_LINE = /^[ \t>]*[A-Za-z0-9+/]{40,}={0,2}[ \t]*$/;
const QUOTED_HEADER =
  /^[ \t>]*(?:x-[\w-]+|dkim-signature|domainkey-signature|arc-[\w-]+|authentication-results|received|received-spf|thread-index|message-id|in-reply-to|references)[ \t]*:/i;

function encodedAndHeaderLines(text: string): Span[] {
  const spans: Span[] = [];
  let offset = 0;
  let inHeader = false;
  const lines = text.split('\n');
  lines.forEach((line, number) => {
    const start = offset;
    offset += line.length + 1;
    const continuation = /^[ \t]+\S/.test(line);
    inHeader = QUOTED_HEADER.test(line) || (inHeader && continuation);
    const base64 =
      BASE64_LINE.test(line) &&
      (BASE64_LINE.test(lines[number - 1] ?? '') || BASE64_LINE.test(lines[number + 1] ?? ''));
    if (inHeader || base64) spans.push({ start, end: start + line.length });
  });
  return spans;
}
