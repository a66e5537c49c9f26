// `he` as the Lambda bundles see it (esbuild's alias, infra/bundling/function-bundling.ts).
// mailparser is its only user, and only encodes with it: the header table and addresses of an
// attached message it renders into `html`, and textAsHtml's links (never asked for). he.encode
// with its default options escapes `"&'<>` and the backtick, astral symbols and everything
// that is not printable ASCII as uppercase hexadecimal references; this does exactly that, so
// the stored HTML is byte for byte the same (the corpus spec in function-bundles.test.ts),
// without the 87 KB of named-reference tables he ships (only `useNamedReferences` reads them:
// textAsHtml's links; here they get the same hexadecimal references).
const UNSAFE = /["&'<>`]/g;
const ASTRAL = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
// he's regexBmpWhitelist, as it is: C0 controls but LF and CR (the tab included), DEL, the C1
// code points HTML's character-reference table overrides, and everything from U+00A0 up.
const NOT_PRINTABLE_ASCII = /[\x01-\t\x0B\f\x0E-\x1F\x7F\x81\x8D\x8F\x90\x9D\xA0-\uFFFF]/g;

const reference = (codePoint) => `&#x${codePoint.toString(16).toUpperCase()};`;
const referenceOf = (symbol) => reference(symbol.codePointAt(0));

export function encode(text) {
  return String(text)
    .replace(UNSAFE, referenceOf)
    .replace(ASTRAL, referenceOf)
    .replace(NOT_PRINTABLE_ASCII, referenceOf);
}

export function decode() {
  throw new Error('he.decode is not bundled (infra/bundling/he-encode.js): mailparser only encodes');
}

export default { encode, decode, version: 'atende-he-encode' };
