import { type Candidate, inside, type Span } from './secret-candidates.ts';

/** Passwords after a label, in the languages atende answers in: `password: x`, `senha é x`. */
export function* labelledPasswords(text: string, excluded: readonly Span[]): Generator<Candidate> {
  yield* passwordsOnTheirLine(text, excluded);
}

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
