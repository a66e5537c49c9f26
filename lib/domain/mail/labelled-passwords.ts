import { type Candidate, inside, isPlaceholder, type Span } from './secret-candidates.ts';

/**
 * Passwords after a label, in the languages atende answers in: on the label's line
 * (`password: x`, `senha é x`) or, when the label ends its line, on the next one
 * (`Password:` then `  hunter2`), where prose is more likely and more evidence is asked for.
 */
export function* labelledPasswords(text: string, excluded: readonly Span[]): Generator<Candidate> {
  yield* passwordsOnTheirLine(text, excluded);
  yield* passwordsOnNextLine(text, excluded);
}

const PASSWORD_WORDS =
  'password|passwd|pwd|pw|pass|passcode|senha|contraseña|contrasena|clave|passwort|kennwort|пароль|mot de passe|wachtwoord|lösenord';
/** `password: x`, `senha = x`, `password is x`, `senha é x`, `contraseña es x`, `Passwort ist x`, `пароль — x`. */
const PASSWORD = new RegExp(
  // "palabra clave" is a keyword, not a password.
  `(?<![\\p{L}\\p{N}_])(?<!palabra )(?<label>${PASSWORD_WORDS})(?![\\p{L}\\p{N}_])` +
    // Horizontal space only: a value on the next line is read by `passwordsOnNextLine`, with more care.
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
  if (isPlaceholder(value)) return false;
  if (/^https?:/i.test(value) || value.includes('@')) return false;
  if (NOT_A_PASSWORD.has(value.toLowerCase())) return false;
  if (quoted) return true;
  const shaped =
    /\d/.test(value) || /[^\p{L}\p{N}]/u.test(value) || /\p{Ll}.*\p{Lu}|\p{Lu}.*\p{Lu}.*\p{Ll}/u.test(value);
  // After "is"/"é"/"es" prose is the rule: only a password-shaped word counts.
  return afterWord ? shaped && value.length >= 4 : value.length >= 4 || shaped;
}

function* passwordsOnTheirLine(text: string, excluded: readonly Span[]): Generator<Candidate> {
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

/** A password label that ends its line (`Password:`, `> Senha:`, `Contraseña =`): its value may be on the next line. */
const LABEL_ENDING_LINE = new RegExp(
  `(?<![\\p{L}\\p{N}_])(?<!palabra )(?<label>${PASSWORD_WORDS})[ \\t]*[:=][ \\t]*\\r?$`,
  'gimu',
);
/** Quote marks and indentation before the value: the label and its value may both be quoted history. */
const LINE_LEAD = /^[ \t>]*/;
const MAX_PASSWORD_CHARS = 128;

/**
 * `Password:` alone at the end of its line, then the value as the whole next line. That line
 * is the password only if it looks like one on its own: a single word (or a quoted string)
 * shaped like a password, not prose ("Thanks for your help"), a placeholder (`${PASSWORD}`,
 * `<password>`, `****`) or an address. Each line is read at most once, as the line after a label.
 */
function* passwordsOnNextLine(text: string, excluded: readonly Span[]): Generator<Candidate> {
  for (const match of text.matchAll(LABEL_ENDING_LINE)) {
    const lineStart = match.index + match[0].length + 1;
    // "Boarding pass:" ends many a line: the English word labels nothing below it.
    if (lineStart >= text.length || match.groups?.label?.toLowerCase() === 'pass') continue;
    const newline = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, newline < 0 ? text.length : newline).trimEnd();
    const lead = LINE_LEAD.exec(line)?.[0].length ?? 0;
    const written = line.slice(lead);
    if (written === '' || written.length > MAX_PASSWORD_CHARS + 2) continue;
    const quoted = /^(["'])(.+)\1$/.exec(written)?.[2];
    if (quoted === undefined && /\s/.test(written)) continue; // prose
    // Sentence punctuation after an unquoted value is not part of it.
    const value = quoted ?? written.replace(/[.,;:!?)]+$/, '');
    const index = lineStart + lead + (quoted === undefined ? 0 : 1);
    if (
      value.trim() === '' ||
      !looksLikePassword(value, quoted !== undefined, true) ||
      inside(excluded, index, value.length)
    )
      continue;
    yield { kind: 'password', detector: 'password-next-line', index, length: value.length, priority: 3 };
  }
}
