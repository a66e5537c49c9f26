import { blocks, matches, type Span, sortAndMerge } from './secret-candidates.ts';

/**
 * Where shape alone proves nothing, so only known key formats and labelled secrets are masked:
 * - URLs (`data:` URLs of inline images too), e-mail addresses and Message-IDs (`<…@…>`):
 *   random by nature, needed by agents;
 * - encoded data pasted or quoted into the text: base64 blocks (two or more long lines),
 *   uuencoded and PGP blocks, RFC 2047 encoded words;
 * - header fields of quoted or bounced messages (DKIM and ARC signatures, Exchange
 *   diagnostics, Received), with their folded continuation lines.
 */
export function nonSecretSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const pattern of [
    /\bhttps?:\/\/[^\s<>"]+/gi,
    // data: URLs (RFC 2397) of inline images: `data:image/png;base64,iVBOR…`; the parameters are bounded.
    /\bdata:[a-z]+\/[a-z0-9.+-]+(?:;[^,;\s"'<>]{0,100}){0,10},[^\s"'<>)]*/gi,
    // Anchored at the start of a word: unanchored, "[^…]+@" rescans the rest of every long word.
    /(?<![^\s<>()"',;:])[^\s<>()"',;:@]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
    /=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=/g, // RFC 2047 encoded words of quoted headers
  ]) {
    for (const { index, value } of matches(text, pattern)) spans.push({ start: index, end: index + value.length });
  }
  // `<…@…>`, read as any bracketed word and then tested for an inner "@": /<[^<>\s]+@[^<>\s]+>/
  // backtracked over every "@" of a long word without a closing bracket.
  for (const { index, value } of matches(text, /<[^<>\s]+>/g)) {
    if (value.slice(2, -2).includes('@')) spans.push({ start: index, end: index + value.length });
  }
  return sortAndMerge([
    ...spans,
    ...blocks(text, /^begin [0-7]{3} \S.*$/gm, /^end$/gm),
    ...blocks(text, /-----BEGIN PGP [A-Z ]+-----/g, /-----END PGP [A-Z ]+-----/g),
    ...encodedAndHeaderLines(text),
  ]);
}

const BASE64_LINE = /^[ \t>]*[A-Za-z0-9+/]{40,}={0,2}[ \t]*$/;
const QUOTED_HEADER =
  /^[ \t>]*(?:x-[\w-]+|dkim-signature|domainkey-signature|arc-[\w-]+|authentication-results|received|received-spf|thread-index|message-id|in-reply-to|references)[ \t]*:/i;

function encodedAndHeaderLines(text: string): Span[] {
  const spans: Span[] = [];
  let offset = 0;
  let inHeader = false;
  const lines = text.split('\n');
  lines.forEach((line, number) => {
    const start = offset;
    offset += line.length + 1;
    const continuation = /^[ \t]+\S/.test(line);
    inHeader = QUOTED_HEADER.test(line) || (inHeader && continuation);
    const base64 =
      BASE64_LINE.test(line) &&
      (BASE64_LINE.test(lines[number - 1] ?? '') || BASE64_LINE.test(lines[number + 1] ?? ''));
    if (inHeader || base64) spans.push({ start, end: start + line.length });
  });
  return spans;
}
