import { type Candidate, isPlaceholder, matches, type SecretKind } from './secret-candidates.ts';

/**
 * Credentials written into URLs, which the URL's own syntax labels: the password of a
 * `scheme://user:password@host` userinfo (RFC 3986 §3.2.1, deprecated for this very reason),
 * and the value of a query parameter named for a secret (`?pwd=…`, as Zoom invitations carry,
 * `&access_token=…`, `?senha=…`). Only the secret part is masked: the host and the parameter
 * names stay readable for the agent. Placeholders (`?token={token}`, `user:${PASSWORD}@`, `xxx`)
 * are documentation, not secrets.
 */
export function* urlCredentials(text: string): Generator<Candidate> {
  for (const { index, value } of matches(text, USERINFO_PASSWORD, 1)) {
    if (isPlaceholder(value)) continue;
    yield { kind: 'password', detector: 'url-password', index, length: value.length, priority: 4 };
  }
  for (const match of text.matchAll(SECRET_PARAMETER)) {
    const { name = '', written = '' } = match.groups ?? {};
    const index = match.indices?.groups?.written?.[0];
    const value = withoutClosingPunctuation(written);
    if (index === undefined || value.length < MIN_PARAMETER_VALUE_CHARS || isPlaceholder(value)) continue;
    if (NOT_A_SECRET_VALUE.test(value)) continue;
    yield { kind: parameterKind(name), detector: 'url-query-secret', index, length: value.length, priority: 4 };
  }
}

/**
 * `scheme://user:password@`: the user part has no colon (the first colon ends it); neither has
 * white space, a slash, `?`, `#` or `@` (which a password must percent-encode), nor the quotes
 * and brackets a URL is written between. One match per `scheme://`, each reading its own
 * authority only: linear.
 */
const USERINFO_PASSWORD = /\b[a-z][a-z0-9+.-]{0,19}:\/\/[^\s:/?#@<>"'[\]]+:([^\s/?#@<>"'[\]]+)@/gi;

/** Query parameters that carry a secret, as services name them (`contraseña` also percent-encoded). */
const SECRET_PARAMETER_NAMES = [
  'pwd',
  'password',
  'passwd',
  'pass',
  'senha',
  'contraseña',
  'contrase%C3%B1a',
  'token',
  'api_key',
  'apikey',
  'access_token',
  'refresh_token',
  'client_secret',
  'secret',
];
const SECRET_PARAMETER = new RegExp(
  `[?&;](?<name>${SECRET_PARAMETER_NAMES.join('|')})=(?<written>[^&#\\s"'<>]+)`,
  'gid',
);
const PASSWORD_NAMES = new Set(['pwd', 'password', 'passwd', 'pass', 'senha', 'contraseña', 'contrase%c3%b1a']);
const KEY_NAMES = new Set(['api_key', 'apikey', 'client_secret', 'secret']);

function parameterKind(name: string): SecretKind {
  const lower = name.toLowerCase();
  if (PASSWORD_NAMES.has(lower)) return 'password';
  return KEY_NAMES.has(lower) ? 'api-key' : 'token';
}

/** A value shorter than this is a flag or a page number (`?pass=1`), not a secret. */
const MIN_PARAMETER_VALUE_CHARS = 3;
/** Switches and empty values: `?pass=true`, `&token=null`. */
const NOT_A_SECRET_VALUE = /^(?:true|false|yes|no|on|off|null|undefined|none)$/i;

const CLOSING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', ')', ']']);

/**
 * A URL at the end of a sentence or in parentheses: the punctuation after it is not part of the
 * value. Read back from the end: `/[.,;:!?)\]]+$/` would try every run of dots in the value.
 */
function withoutClosingPunctuation(value: string): string {
  let end = value.length;
  while (end > 0 && CLOSING_PUNCTUATION.has(value[end - 1] ?? '')) end--;
  return value.slice(0, end);
}
