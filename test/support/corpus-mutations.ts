import fc from 'fast-check';

/**
 * Seeded mutations of real mail for the corpus fuzz (test/reliability/corpus-fuzz.test.ts): the
 * damage mail takes on the way (truncation, flipped bits, line endings rewritten by gateways) and
 * the damage attackers do on purpose (duplicated and huge headers, deep MIME nesting, charsets that
 * do not exist, broken base64 and quoted-printable, boundaries that never come).
 *
 * A mutation is plain data drawn by fast-check (`fc.sample` under a seed), with positions as
 * fractions of the message, so the same seed gives the same mutants on any machine and a failing
 * one is reproduced from its printed JSON by `applyMutations`. Bytes are handled as Latin-1
 * strings, one character a byte, so nothing is re-encoded by accident.
 */

/** A position in the message, as a fraction of its length (0 ≤ at < 1). */
const fraction = fc.integer({ min: 0, max: 999_999 }).map((value) => value / 1_000_000);

const HEADER_NAMES = [
  'From',
  'To',
  'Cc',
  'Subject',
  'Message-ID',
  'In-Reply-To',
  'References',
  'Date',
  'Content-Type',
  'Content-Transfer-Encoding',
  'MIME-Version',
  'Return-Path',
  'Auto-Submitted',
  'Reply-To',
] as const;

/** Bytes that mean something to a parser: NUL, line breaks, 8-bit, quotes, brackets, the QP and header specials, ESC, C1 CSI. */
const TELLING_BYTES = [
  0x00, 0x0a, 0x0d, 0x09, 0x20, 0x22, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x40, 0x1b, 0x7f, 0x80, 0x9b, 0xff,
];

/** Charsets that are wrong, unknown, dangerous to decode, or not charsets at all. */
const BAD_CHARSETS = [
  'x-unknown-charset',
  'utf-7',
  'utf-16',
  'utf-32',
  'iso-2022-jp',
  'gb18030',
  'x-mac-roman',
  'ks_c_5601-1987',
  'unicode-1-1-utf-7',
  '',
  '"',
  '"utf-8',
  'utf-8"; boundary="evil"',
  `${'a'.repeat(5_000)}`,
  'utf\u0000-8',
  '../../etc/passwd',
  'windows-1252\r\nBcc: eve@attacker.example',
] as const;

export type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'flip-bits'; readonly flips: readonly { readonly at: number; readonly bit: number }[] }
  | { readonly kind: 'telling-bytes'; readonly writes: readonly { readonly at: number; readonly byte: number }[] }
  | { readonly kind: 'duplicate-header'; readonly name: string; readonly times: number }
  | {
      readonly kind: 'huge-header';
      readonly shape: 'long-subject' | 'long-address-list' | 'received-chain' | 'many-fields' | 'folded';
      readonly size: number;
    }
  | { readonly kind: 'deep-nesting'; readonly depth: number; readonly closed: boolean }
  | { readonly kind: 'charset'; readonly charset: string; readonly inSubject: boolean }
  | { readonly kind: 'broken-base64'; readonly damage: readonly number[] }
  | { readonly kind: 'broken-quoted-printable'; readonly badEscape: string }
  | { readonly kind: 'missing-boundary'; readonly how: 'no-parameter' | 'no-closing' | 'renamed' | 'no-delimiters' }
  | { readonly kind: 'line-endings'; readonly to: 'lf' | 'cr' | 'mixed' | 'no-blank-line' | 'blank-lines-first' }
  | { readonly kind: 'splice'; readonly other: number; readonly at: number }
  | { readonly kind: 'encoded-word-soup'; readonly header: 'Subject' | 'From'; readonly words: number };

export const MUTATION_KINDS = [
  'truncate',
  'flip-bits',
  'telling-bytes',
  'duplicate-header',
  'huge-header',
  'deep-nesting',
  'charset',
  'broken-base64',
  'broken-quoted-printable',
  'missing-boundary',
  'line-endings',
  'splice',
  'encoded-word-soup',
] as const satisfies readonly Mutation['kind'][];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({
    kind: fc.constant('flip-bits' as const),
    flips: fc.array(fc.record({ at: fraction, bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 32 }),
  }),
  fc.record({
    kind: fc.constant('telling-bytes' as const),
    writes: fc.array(fc.record({ at: fraction, byte: fc.constantFrom(...TELLING_BYTES) }), {
      minLength: 1,
      maxLength: 64,
    }),
  }),
  fc.record({
    kind: fc.constant('duplicate-header' as const),
    name: fc.constantFrom(...HEADER_NAMES),
    times: fc.integer({ min: 2, max: 500 }),
  }),
  fc.record({
    kind: fc.constant('huge-header' as const),
    shape: fc.constantFrom('long-subject', 'long-address-list', 'received-chain', 'many-fields', 'folded'),
    // Up to past maxHeaderBytes (1 MiB), so some are refused by the limit and some just fit.
    size: fc.integer({ min: 10_000, max: 1_200_000 }),
  }),
  fc.record({
    kind: fc.constant('deep-nesting' as const),
    // Up to past maxMimeParts (1,000), which bounds the depth the MIME parser walks.
    depth: fc.integer({ min: 2, max: 1_500 }),
    closed: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('charset' as const),
    charset: fc.constantFrom(...BAD_CHARSETS),
    inSubject: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('broken-base64' as const),
    damage: fc.array(fraction, { minLength: 1, maxLength: 16 }),
  }),
  fc.record({
    kind: fc.constant('broken-quoted-printable' as const),
    badEscape: fc.constantFrom(
      '=ZZ',
      '=',
      '=\r\n',
      '=\n',
      '=0',
      '=\u0000',
      '=3D=3',
      '=E2=80',
      `=${'\t'.repeat(1_000)}`,
    ),
  }),
  fc.record({
    kind: fc.constant('missing-boundary' as const),
    how: fc.constantFrom('no-parameter', 'no-closing', 'renamed', 'no-delimiters'),
  }),
  fc.record({
    kind: fc.constant('line-endings' as const),
    to: fc.constantFrom('lf', 'cr', 'mixed', 'no-blank-line', 'blank-lines-first'),
  }),
  fc.record({ kind: fc.constant('splice' as const), other: fc.nat(), at: fraction }),
  fc.record({
    kind: fc.constant('encoded-word-soup' as const),
    header: fc.constantFrom('Subject', 'From'),
    words: fc.integer({ min: 1, max: 20_000 }),
  }),
);

/** One mutant: which corpus message (an index, taken modulo the corpus size) and what is done to it, in order. */
export interface MutantPlan {
  readonly message: number;
  readonly mutations: readonly Mutation[];
}

export const mutantPlan: fc.Arbitrary<MutantPlan> = fc.record({
  message: fc.nat(),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
});

/** `count` plans drawn under `seed`: the same list for the same seed, always. */
export const sampleMutantPlans = (seed: number, count: number): MutantPlan[] =>
  fc.sample(mutantPlan, { seed, numRuns: count });

// ---------------------------------------------------------------------------------------------
// Applying a mutation: pure functions of the bytes (as a Latin-1 string) and the plan.
// ---------------------------------------------------------------------------------------------

/** At most this much is added by copying a header field. */
const MAX_COPIED_BYTES = 4 * 1024 * 1024;

const offset = (text: string, at: number): number => Math.min(text.length, Math.floor(at * text.length));

/** Where the header block ends (the index of the empty line's first break), or the whole text. */
const headerEnd = (text: string): number => {
  const candidates = [text.indexOf('\r\n\r\n'), text.indexOf('\n\n')].filter((index) => index >= 0);
  return candidates.length > 0 ? Math.min(...candidates) : text.length;
};

const lineBreakOf = (text: string): string => (text.includes('\r\n') ? '\r\n' : '\n');

/** The header field `name` (first occurrence) with its folded continuation lines, or null. */
function findField(text: string, name: string): { start: number; end: number } | null {
  const head = text.slice(0, headerEnd(text));
  const match = new RegExp(`(^|\\n)${name}[ \\t]*:`, 'i').exec(head);
  if (!match) return null;
  const start = match.index + match[1]!.length;
  let end = start;
  for (;;) {
    const next = head.indexOf('\n', end);
    if (next < 0) return { start, end: head.length };
    end = next + 1;
    if (head[end] !== ' ' && head[end] !== '\t') return { start, end };
  }
}

const insertHeader = (text: string, field: string): string => `${field}${lineBreakOf(text)}${text}`;

function hugeHeader(text: string, shape: Extract<Mutation, { kind: 'huge-header' }>['shape'], size: number): string {
  const eol = lineBreakOf(text);
  switch (shape) {
    case 'long-subject':
      return insertHeader(text, `Subject: ${'Re: '.repeat(Math.floor(size / 8))}${'x'.repeat(Math.floor(size / 2))}`);
    case 'long-address-list': {
      const addresses = Array.from({ length: Math.floor(size / 28) }, (_, index) => `p${index}@many.example`);
      return insertHeader(text, `Cc: ${addresses.join(`,${eol} `)}`);
    }
    case 'received-chain': {
      const hop = (index: number) =>
        `Received: from relay${index}.example (relay${index}.example [192.0.2.${index % 255}])${eol}\tby mx.example; Mon, 23 Nov 2026 10:00:00 -0500`;
      const hops = Array.from({ length: Math.floor(size / 110) }, (_, index) => hop(index));
      return `${hops.join(eol)}${eol}${text}`;
    }
    case 'many-fields': {
      // Past maxHeaderFields (10,000) for the larger sizes.
      const fields = Array.from({ length: Math.floor(size / 12) }, (_, index) => `X-F${index}: v`);
      return `${fields.join(eol)}${eol}${text}`;
    }
    case 'folded':
      return insertHeader(text, `Subject: start${`${eol} w`.repeat(Math.floor(size / 4))}`);
  }
}

function deepNesting(text: string, depth: number, closed: boolean): string {
  const eol = lineBreakOf(text);
  const { head } = splitMessage(text, /^content-(type|transfer-encoding)\s*:/i);
  let open = '';
  let close = '';
  for (let level = 0; level < depth; level++) {
    open += `Content-Type: multipart/mixed; boundary="fuzz${level}"${eol}${eol}--fuzz${level}${eol}`;
    if (closed) close = `${eol}--fuzz${level}--${eol}${close}`;
  }
  return `${head}${eol}MIME-Version: 1.0${eol}${open}Content-Type: message/rfc822${eol}${eol}${text}${close}`;
}

function setCharset(text: string, charset: string, inSubject: boolean): string {
  if (inSubject) {
    const word = `=?${charset}?B?${Buffer.from('Olá, não consigo', 'utf8').toString('base64')}?=`;
    const field = findField(text, 'Subject');
    const subject = `Subject: ${word} ${word}${lineBreakOf(text)}`;
    return field ? text.slice(0, field.start) + subject + text.slice(field.end) : insertHeader(text, subject.trimEnd());
  }
  const replaced = text.replace(/charset\s*=\s*("[^"]*"|[^\s;]+)/gi, `charset="${charset}"`);
  return replaced === text ? insertHeader(text, `Content-Type: text/plain; charset="${charset}"`) : replaced;
}

/** The header block without the fields named, the empty line after it, and the body. */
function splitMessage(text: string, without: RegExp): { head: string; blank: string; body: string } {
  const end = headerEnd(text);
  const blank = /^(?:\r?\n){2}/.exec(text.slice(end))?.[0] ?? '';
  const head = text
    .slice(0, end)
    .split(/\r?\n(?![ \t])/)
    .filter((line) => !without.test(line))
    .join(lineBreakOf(text));
  return { head, blank: blank || '\n\n', body: text.slice(end + blank.length) };
}

const TRANSFER_ENCODING = /^content-transfer-encoding\s*:/i;

/** Base64 declared for the top part, its text encoded, then characters base64 does not have written in and the padding lost. */
function brokenBase64(text: string, damage: readonly number[]): string {
  const { head, blank, body } = splitMessage(text, TRANSFER_ENCODING);
  let encoded = Buffer.from(body, 'latin1').toString('base64').replace(/=+$/, '');
  for (const at of damage) {
    const position = offset(encoded, at);
    encoded = `${encoded.slice(0, position)}${'!*\u00ff=-'[position % 5]}${encoded.slice(position + 1)}`;
  }
  return `${head}${lineBreakOf(text)}Content-Transfer-Encoding: base64${blank}${encoded}`;
}

/** Quoted-printable declared for the top part, with a broken escape in place of its first spaces and equals signs, and at its end. */
function brokenQuotedPrintable(text: string, badEscape: string): string {
  const { head, blank, body } = splitMessage(text, TRANSFER_ENCODING);
  let written = 0;
  // At most 500 places, so a long escape cannot multiply a large body.
  const damaged = body.replace(/[ =]/g, (character) => (written++ < 500 ? badEscape : character));
  return `${head}${lineBreakOf(text)}Content-Transfer-Encoding: quoted-printable${blank}${damaged}${badEscape}`;
}

function missingBoundary(text: string, how: Extract<Mutation, { kind: 'missing-boundary' }>['how']): string {
  const boundaries = [...text.matchAll(/boundary\s*=\s*"?([^";\s]+)"?/gi)].map((match) => match[1]!);
  switch (how) {
    case 'no-parameter':
      return text.replace(/;?\s*boundary\s*=\s*("[^"]*"|[^;\s]+)/gi, '');
    case 'renamed':
      return text.replace(/boundary\s*=\s*("[^"]*"|[^;\s]+)/gi, 'boundary="never-used"');
    case 'no-closing':
      return boundaries.reduce((result, boundary) => result.split(`--${boundary}--`).join(''), text);
    case 'no-delimiters':
      return boundaries.reduce((result, boundary) => result.split(`--${boundary}`).join(''), text);
  }
}

function lineEndings(text: string, to: Extract<Mutation, { kind: 'line-endings' }>['to']): string {
  const lines = text.split(/\r\n|\n|\r/);
  switch (to) {
    case 'lf':
      return lines.join('\n');
    case 'cr':
      return lines.join('\r');
    case 'mixed':
      return lines.map((line, index) => line + ['\r\n', '\n', '\r', '\n\r'][index % 4]).join('');
    case 'no-blank-line': {
      const end = headerEnd(text);
      return text.slice(0, end) + text.slice(end).replace(/^\r?\n\r?\n/, '\n');
    }
    case 'blank-lines-first':
      return `\r\n\r\n \r\n\t\r\n${text}`;
  }
}

function encodedWordSoup(text: string, header: 'Subject' | 'From', words: number): string {
  const pieces = [
    '=?utf-8?Q?=E2=80?=',
    '=?utf-8?B?4oKs?=',
    '=?utf-8?B?4o?=',
    '=?iso-8859-1?Q?=E9?=',
    '=?x?Q?a?=',
    '=??=',
  ];
  const soup = Array.from({ length: words }, (_, index) => pieces[index % pieces.length]).join(' ');
  const value = header === 'From' ? `${soup} <ana@customer.example>` : soup;
  const field = findField(text, header);
  const line = `${header}: ${value}${lineBreakOf(text)}`;
  return field ? text.slice(0, field.start) + line + text.slice(field.end) : insertHeader(text, line.trimEnd());
}

function applyOne(text: string, mutation: Mutation, others: readonly Buffer[]): string {
  switch (mutation.kind) {
    case 'truncate':
      return text.slice(0, offset(text, mutation.at));
    case 'flip-bits': {
      const bytes = Buffer.from(text, 'latin1');
      for (const { at, bit } of mutation.flips) {
        const position = Math.min(bytes.length - 1, Math.floor(at * bytes.length));
        if (position >= 0) bytes[position] = (bytes[position] ?? 0) ^ (1 << bit);
      }
      return bytes.toString('latin1');
    }
    case 'telling-bytes': {
      const bytes = Buffer.from(text, 'latin1');
      for (const { at, byte } of mutation.writes) {
        const position = Math.min(bytes.length - 1, Math.floor(at * bytes.length));
        if (position >= 0) bytes[position] = byte;
      }
      return bytes.toString('latin1');
    }
    case 'duplicate-header': {
      const field = findField(text, mutation.name);
      const copy = field ? text.slice(field.start, field.end) : `${mutation.name}: duplicated${lineBreakOf(text)}`;
      // A huge header copied 500 times made a 416 MB mutant: ten times what SES takes, and a test of memory, not of mail.
      const times = Math.max(2, Math.min(mutation.times, Math.floor(MAX_COPIED_BYTES / copy.length)));
      return copy.repeat(times) + text;
    }
    case 'huge-header':
      return hugeHeader(text, mutation.shape, mutation.size);
    case 'deep-nesting':
      return deepNesting(text, mutation.depth, mutation.closed);
    case 'charset':
      return setCharset(text, mutation.charset, mutation.inSubject);
    case 'broken-base64':
      return brokenBase64(text, mutation.damage);
    case 'broken-quoted-printable':
      return brokenQuotedPrintable(text, mutation.badEscape);
    case 'missing-boundary':
      return missingBoundary(text, mutation.how);
    case 'line-endings':
      return lineEndings(text, mutation.to);
    case 'splice': {
      const other = others[mutation.other % others.length]!.toString('latin1');
      const position = offset(text, mutation.at);
      return text.slice(0, position) + other + text.slice(position);
    }
    case 'encoded-word-soup':
      return encodedWordSoup(text, mutation.header, mutation.words);
  }
}

/** The mutant a plan describes, from the corpus messages (`messages`, in manifest order). */
export function applyMutations(messages: readonly Buffer[], plan: MutantPlan): Buffer {
  const original = messages[plan.message % messages.length]!;
  let text = original.toString('latin1');
  for (const mutation of plan.mutations) text = applyOne(text, mutation, messages);
  return Buffer.from(text, 'latin1');
}
