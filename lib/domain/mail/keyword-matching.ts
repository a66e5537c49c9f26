/**
 * Whole-word, accent- and case-insensitive matching of the words and phrases a policy lists
 * (priority keywords, rude words). Customers write "caida", "CAÍDA" and "caída" for the same
 * word, and "não funciona" with or without the tilde; a keyword must not match inside another
 * word ("alert" in "alerts" is a match only if the policy lists "alerts" too).
 */

/** Lower case without diacritics, for comparison only: "Não Funciona" → "nao funciona". */
export function foldForMatching(text: string): string {
  // NFD splits "ã" into "a" and a combining tilde (\p{M}), which is then dropped; ß, ø, ł have no
  // decomposition and stay as they are, as do Cyrillic and CJK letters.
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A matcher for a list of words and phrases; phrases match across any run of white space. */
export interface KeywordMatcher {
  /** The listed keywords (as written in the policy) that occur in the text. */
  found(text: string): string[];
}

export function keywordMatcher(keywords: readonly string[]): KeywordMatcher {
  const byFolded = new Map<string, string>();
  for (const keyword of keywords) {
    const folded = foldForMatching(keyword).trim().replace(/\s+/g, ' ');
    if (folded !== '' && !byFolded.has(folded)) byFolded.set(folded, keyword);
  }
  if (byFolded.size === 0) return { found: () => [] };
  // Longest first, so that "no funciona" wins over "no" at the same place.
  const alternatives = [...byFolded.keys()]
    .sort((a, b) => b.length - a.length)
    .map((folded) => escapeRegExp(folded).replace(/ /g, '\\s+'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'gu');
  return {
    found(text: string): string[] {
      const seen = new Set<string>();
      for (const match of foldForMatching(text).matchAll(pattern)) {
        const original = byFolded.get(match[0].replace(/\s+/g, ' '));
        if (original !== undefined) seen.add(original);
      }
      return [...seen];
    },
  };
}
