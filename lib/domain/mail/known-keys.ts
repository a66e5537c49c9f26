import { blocks, type Candidate, matches, type SecretKind } from './secret-candidates.ts';

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

export function* knownKeys(text: string): Generator<Candidate> {
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

// ---- labelled keys: "Bearer …", "api_key=…", "Authorization: Basic …" --------------------

const BEARER = /\b(?:Bearer|Basic|Token)\s+([A-Za-z0-9\-._~+/]{16,}=*)/g;
/** A key's label, then `:` or `=`; `\s*(?:["']\s*)?` reads the white space around a closing quote one way only. */
const LABELLED_KEY =
  /(?<![A-Za-z0-9])(?:api[_ -]?key|apikey|api[_ -]?secret|client[_ -]?secret|secret[_ -]?key|secret[_ -]?access[_ -]?key|access[_ -]?key|access[_ -]?token|auth[_ -]?token|refresh[_ -]?token|private[_ -]?key|x-api-key)\s*(?:["']\s*)?[:=]\s*["']?([A-Za-z0-9\-._~+/=]{12,})/gi;

export function* labelledKeys(text: string): Generator<Candidate> {
  for (const { index, value } of matches(text, BEARER, 1))
    yield { kind: 'token', detector: 'bearer', index, length: value.length, priority: 3 };
  for (const { index, value } of matches(text, LABELLED_KEY, 1)) {
    if (!/\d/.test(value) || /^(.)\1+$/.test(value)) continue; // "api key: see-the-docs-page" is prose
    yield { kind: 'api-key', detector: 'key-label', index, length: value.length, priority: 3 };
  }
}
