/**
 * How `atende policy check` names what a policy file holds and what it should hold, in the
 * words of the person who wrote the YAML: "expected a boolean, got the string "yes"".
 */

/** Long strings are cut in messages: the line number already points at the whole value. */
const SHOWN_STRING_LENGTH = 60;

/** What a value read from YAML is, e.g. `the string "yes"`, `the number 5`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  // `key:` with nothing after it is null in YAML.
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    const shown = value.length > SHOWN_STRING_LENGTH ? `${value.slice(0, SHOWN_STRING_LENGTH)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** zod's name of an expected type, as a policy writer would say it. */
export function describeExpected(expected: string): string {
  switch (expected) {
    case 'int':
      return 'a whole number';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
    case 'map':
      return 'a mapping';
    default:
      return `a ${expected}`;
  }
}

/** One of several allowed literal values, quoted as written in YAML: `"24/7"`, `"flag", "ignore"`. */
export const describeChoices = (values: readonly unknown[]): string =>
  values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((value) => JSON.stringify(value)).join(', ')}`;

/**
 * A schema's own message for a value of the wrong kind: "is required (…)" when nothing was
 * written, else "expected …, got …". `hint` is what the setting takes, e.g. `a number`.
 */
export const expectedMessage =
  (hint: string) =>
  (issue: { readonly input?: unknown }): string =>
    issue.input === undefined ? `is required (${hint})` : `expected ${hint}, got ${describeValue(issue.input)}`;
