import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type * as z from 'zod';
import { AtendeError } from '../atende-error.ts';
import { type Policy, PolicySchema } from './policy-schema.ts';
import { describeChoices, describeExpected, describeValue } from './problem-wording.ts';

/** One thing wrong with a policy file, located in the document. */
export interface PolicyProblem {
  /** Path in the document, e.g. `queues[0].address`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
  /** 1-based line of the offending node, when the document has one. */
  readonly line?: number;
}

/** Renders a problem the way `atende policy check` prints it. */
export const describeProblem = (problem: PolicyProblem): string =>
  `${problem.path ? `${problem.path}: ` : ''}${problem.message}${problem.line ? ` (line ${problem.line})` : ''}`;

export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    const plain = /^[A-Za-z_$][\w$-]*$/.test(name);
    return plain ? (text ? `${text}.${name}` : name) : `${text}[${JSON.stringify(name)}]`;
  }, '');

/**
 * Parses and validates the text of a policy file. Pure: the caller reads the file.
 * Throws `policy.yamlSyntax` for YAML that does not parse and `policy.invalid` for
 * a document that breaks the schema; both carry `details.problems` with lines.
 */
export function parsePolicy(text: string, source = 'policy'): Policy {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);

  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => ({
      path: '',
      message: error.message.split('\n')[0]!,
      line: lineOf(error.pos[0]),
    }));
    throw new AtendeError('policy.yamlSyntax', `${source} is not valid YAML`, { details: { source, problems } });
  }

  // reportInput: a problem must tell a missing key from a value of the wrong type.
  const result = PolicySchema.safeParse(document.toJS({ maxAliasCount: 100 }), {
    reportInput: true,
    error: issueMessage,
  });
  if (result.success) return result.data;

  const problems = result.error.issues.flatMap(explainUnion).map((issue) => toProblem(issue, document, lineOf));
  throw new AtendeError('policy.invalid', `${source} breaks the policy schema in ${problems.length} place(s)`, {
    details: { source, problems },
  });
}

/**
 * A union ("24/7" or one entry per weekday) fails as a whole; the useful message is the one
 * from the alternative that got furthest into the input, e.g. `week.sat`, not `week`.
 */
function explainUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const depth = (branch: z.core.$ZodIssue[]) =>
    Math.max(
      ...branch.map(
        (inner) => inner.path.length + (inner.code === 'invalid_type' || inner.code === 'invalid_value' ? 0 : 0.5),
      ),
    );
  const deepest = issue.errors.reduce((best, branch) => (depth(branch) > depth(best) ? branch : best));
  if (depth(deepest) === 0) return [issue];
  return deepest.flatMap((inner) =>
    explainUnion({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue),
  );
}

/**
 * The message of an issue the schema words no message of its own for (a schema's own `error`
 * wins over this one): what was expected and what was written, never zod's "Invalid input".
 */
function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const got = describeValue(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `is required (${describeExpected(issue.expected)})`
        : `expected ${describeExpected(issue.expected)}, got ${got}`;
    case 'invalid_value':
      return `expected ${describeChoices(issue.values)}, got ${got}`;
    case 'invalid_union': {
      if (!('errors' in issue) || !Array.isArray(issue.errors)) return undefined;
      const alternatives = (issue.errors as z.core.$ZodIssue[][]).map((branch) => {
        const own = branch.find((inner) => inner.path.length === 0);
        if (own?.code === 'invalid_type') return describeExpected(own.expected);
        if (own?.code === 'invalid_value') return describeChoices(own.values);
        return undefined;
      });
      if (alternatives.some((alternative) => alternative === undefined)) return undefined;
      return `expected ${[...new Set(alternatives)].join(' or ')}, got ${got}`;
    }
    case 'too_small':
      return bounded(issue.origin, issue.inclusive === false ? 'more than' : 'at least', issue.minimum, got);
    case 'too_big':
      return bounded(issue.origin, issue.inclusive === false ? 'less than' : 'at most', issue.maximum, got);
    default:
      return undefined;
  }
}

/** "expected at least 1 item(s), got a list": a bound on a number, a list's length or a text's. */
function bounded(origin: string, comparison: string, bound: unknown, got: string): string | undefined {
  const unit = { number: '', array: ' item(s)', string: ' character(s)' }[origin];
  return unit === undefined ? undefined : `expected ${comparison} ${String(bound)}${unit}, got ${got}`;
}

function toProblem(
  issue: z.core.$ZodIssue,
  document: Document,
  lineOf: (offset: number | undefined) => number | undefined,
): PolicyProblem {
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    const keyNode = findKeyNode(document, path, issue.keys[0]!);
    return { path: formatPath(path), message, line: lineOf(keyNode?.range?.[0]) };
  }
  // A schema's own message for a wrong type may not know the key is missing altogether.
  if (issue.code === 'invalid_type' && issue.input === undefined && !message.startsWith('is required'))
    message = `is required (${describeExpected(issue.expected)})`;
  return { path: formatPath(path), message, line: lineOf(closestNode(document, path)?.range?.[0]) };
}

/** The node at `path`, or its nearest ancestor present in the document (a missing key points at its parent). */
function closestNode(document: Document, path: readonly (string | number)[]): Node | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true);
    if (node && typeof node === 'object' && 'range' in node) return node as Node;
  }
  return document.contents ?? undefined;
}

function findKeyNode(document: Document, path: readonly (string | number)[], key: string): Node | undefined {
  const parent = path.length === 0 ? document.contents : document.getIn(path, true);
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
    if (pair && isScalar(pair.key)) return pair.key;
  }
  if (isSeq(parent) || isMap(parent)) return parent as Node;
  return closestNode(document, path);
}
