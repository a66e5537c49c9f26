/** One header field as written: lower-cased name, unfolded and trimmed value, not decoded. */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the header fields of a header block by hand, independently of the MIME parser,
 * because the parser drops what it cannot read and the pipeline still needs it:
 * - a field name is printable ASCII but the colon (RFC 5322 §2.2); white space before the
 *   colon is the obsolete syntax of RFC 5322 §4.5 (`From  : …`) and is accepted;
 * - a line starting with white space continues the previous field and is unfolded by
 *   removing the line break (RFC 5322 §2.2.3); a continuation with nothing to continue and
 *   a line without a colon are skipped, as garbage;
 * - raw UTF-8 in header values (RFC 6532) is read as UTF-8, other 8-bit bytes as Latin-1
 *   so that no byte is lost or turns into an exception.
 */
export function readHeaderFields(block: Buffer): HeaderField[] {
  const text = decodeHeaderBlock(block);
  const fields: HeaderField[] = [];
  let current: { name: string; parts: string[] } | null = null;
  const flush = () => {
    if (current) fields.push({ name: current.name, value: current.parts.join('').trim() });
    current = null;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line === '\r') continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      current?.parts.push(line.replace(/\r$/, ''));
      continue;
    }
    flush();
    const match = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:(.*)$/s.exec(line.replace(/\r$/, ''));
    if (match?.[1] !== undefined) current = { name: match[1].toLowerCase(), parts: [match[2] ?? ''] };
  }
  flush();
  return fields;
}

/** Groups fields by name, keeping their order; a Map, so that a field named `__proto__` is just a field. */
export function headerMap(fields: readonly HeaderField[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const field of fields) {
    const values = map.get(field.name);
    if (values) values.push(field.value);
    else map.set(field.name, [field.value]);
  }
  return map;
}

function decodeHeaderBlock(block: Buffer): string {
  try {
    return strictUtf8.decode(block);
  } catch {
    // Not UTF-8: 8-bit bytes in an undeclared charset. Latin-1 maps every byte to one character.
    return block.toString('latin1');
  }
}
