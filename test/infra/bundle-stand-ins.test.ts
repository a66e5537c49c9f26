import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as heEncode from '../../infra/bundling/he-encode.js';
import linkifyOnFirstUse, { type Linkifier } from '../../infra/bundling/linkify-it-on-first-use.js';

/**
 * The libraries the Lambda bundles replace (esbuild aliases in function-bundling.ts) behave as
 * the originals for what mailparser asks of them. The whole corpus parsed in a bundle against
 * the sources is in test/integration/functions/function-bundles.test.ts.
 */
const he = createRequire(import.meta.url)('he') as { encode: (text: string) => string };

describe('he-encode, the bundles’ he', () => {
  it('encodes every code point of the Basic Multilingual Plane as he.encode does', () => {
    for (let start = 0; start < 0x10000; start += 0x400) {
      const block = Array.from({ length: 0x400 }, (_, offset) => String.fromCharCode(start + offset)).join('');
      expect(heEncode.encode(block)).toBe(he.encode(block));
    }
  });

  it('encodes astral symbols, lone surrogates and mixed text as he.encode does', () => {
    for (const text of [
      '😀 ação 日本',
      'a\uD800b\uDC00c',
      '<a href="x">Tom & "Jerry" `x` \'y\'</a>',
      '\t\r\n\x01\x7F',
    ]) {
      expect(heEncode.encode(text)).toBe(he.encode(text));
    }
  });
});

describe('linkify-it-on-first-use, the bundles’ linkify-it', () => {
  const configure = (linkifier: Linkifier): Linkifier =>
    linkifier.tlds('onion', true).add('git:', 'http:').add('ftp:', null).set({ fuzzyIP: true, fuzzyEmail: true });

  it('finds the same links as linkify-it configured the same way', async () => {
    // The package the stand-in wraps (it has no types of its own).
    const { default: LinkifyIt } = (await import('linkify-it' as string)) as { default: new () => Linkifier };
    const text =
      'See https://example.com/a?b=1, git://repo.example.org/x, ftp://old.example.net, 10.0.0.1, ana@example.com and site.onion.';
    const real = configure(new LinkifyIt());
    const standIn = configure(linkifyOnFirstUse());

    expect(standIn.pretest(text)).toBe(real.pretest(text));
    expect(standIn.match(text)).toEqual(real.match(text));
    expect(standIn.test('nothing here')).toBe(false);
  });
});
