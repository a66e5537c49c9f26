import { type Candidate, inside, isPlaceholder, matches, mixesCasesAndDigits, type Span } from './secret-candidates.ts';

/**
 * AWS secret access keys: 40 characters of `[A-Za-z0-9/+=]`, which nothing but their context
 * tells from other data (a git commit id is 40 characters too). Two contexts count:
 * - a label: `aws_secret_access_key = …`, `"SecretAccessKey": "…"`, `secret key: …`, and the
 *   AWS console's Spanish and Portuguese `clave de acceso secreta` / `chave de acesso secreta`;
 *   the value may be on the label's line or the next one;
 * - an access key id (`AKIA…`, long-term, or `ASIA…`, temporary) on the same line or the lines
 *   just around it, as in the console's CSV download or a pasted credentials block; then the
 *   value must also look random (upper case, lower case and digits, not hex alone), since
 *   nothing names it.
 */
export function* awsSecretKeys(text: string, excluded: readonly Span[]): Generator<Candidate> {
  const labelled = new Set<number>();
  for (const { index, value } of matches(text, LABELLED_SECRET, 1)) {
    if (isPlaceholder(value) || /^(.)\1+$/.test(value)) continue;
    labelled.add(index);
    yield { kind: 'api-key', detector: 'aws-secret-key', index, length: value.length, priority: 4 };
  }
  const keyIds = [...matches(text, ACCESS_KEY_ID)];
  if (keyIds.length === 0) return;
  const lines = new LineIndex(text);
  const keyIdLines = new Set(keyIds.map(({ index }) => lines.lineOf(index)));
  for (const { index, value } of matches(text, SECRET_SHAPED)) {
    if (labelled.has(index) || !mixesCasesAndDigits(value) || inside(excluded, index, value.length)) continue;
    const line = lines.lineOf(index);
    let near = false;
    for (let keyLine = line - LINES_BELOW_KEY_ID; keyLine <= line + LINES_ABOVE_KEY_ID && !near; keyLine++)
      near = keyIdLines.has(keyLine);
    if (near) yield { kind: 'api-key', detector: 'aws-secret-key-near-id', index, length: value.length, priority: 3 };
  }
}

/** How far from its access key id an unlabelled secret key is looked for: the id's line, two below, one above. */
const LINES_BELOW_KEY_ID = 2;
const LINES_ABOVE_KEY_ID = 1;

const SECRET_CHARS = 'A-Za-z0-9/+=';
const SECRET_SHAPED = new RegExp(`(?<![${SECRET_CHARS}])[${SECRET_CHARS}]{40}(?![${SECRET_CHARS}])`, 'g');
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g;

/**
 * A label, a short bounded gap (`: `, ` = "`, `": "`, a line break and indentation, ` is `),
 * then exactly 40 key characters. Bounded, so a label followed by a long run of spaces is read
 * in a few steps.
 */
const LABELLED_SECRET = new RegExp(
  '(?<![A-Za-z0-9])(?:(?:aws[_ .-]?)?secret[_ .-]?(?:access[_ .-]?)?key|clave (?:de acceso )?secreta|chave (?:de acesso )?secreta)' +
    `(?:[ \\t]{1,4}(?:is|es|é))?[\\s"':=>,|]{1,12}([${SECRET_CHARS}]{40})(?![${SECRET_CHARS}])`,
  'gi',
);

/** Line numbers of offsets, from the offsets of the line breaks (binary search). */
class LineIndex {
  private readonly breaks: number[] = [];

  constructor(text: string) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.breaks.push(at);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.breaks.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.breaks[middle] ?? Number.POSITIVE_INFINITY) < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
