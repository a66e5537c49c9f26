import { eld } from 'eld/small';
import { withoutLinksAndAddresses } from './links-and-addresses.ts';

/**
 * Which of the policy's offered languages a message is written in, to answer in it.
 *
 * eld (Efficient Language Detector, n-gram model, `small` database: 60 languages, ~1.6 MB,
 * no I/O after import) was chosen over franc and tinyld on 75 short support messages written
 * for this (test/fixtures/mail/language-samples.json, en/es/pt-BR/de/ru): restricted to those
 * five languages eld named 75 of 75, tinyld 73, franc 70 (franc unrestricted 41: it reads
 * "Hi, how do I add a new user?" as Portuguese). Detection is restricted to the offered
 * languages. Letters only Spanish or only Portuguese uses decide between those two (eld's
 * commonest confusion on short texts); otherwise, when eld calls its result unreliable (a
 * language that is not offered, or too little text), the fallback is used.
 */
export interface LanguageChoice {
  /** The policy's language tags, e.g. `['en', 'es', 'pt-BR']`. */
  readonly offered: readonly string[];
  /** The tag to use when the text does not say (the policy's default language). */
  readonly fallback: string;
}

/** Fewer letters than this (after quotes, URLs and numbers are removed) say nothing reliable. */
export const MIN_LETTERS = 4;
/** Only the start of a long message is read: a few sentences decide, and the rest costs time. */
const MAX_CHARS = 2_000;

export function detectLanguage(text: string, choice: LanguageChoice): string {
  const byBase = offeredByBase(choice.offered);
  if (byBase.size === 0) return choice.fallback;
  const plain = cleaned(text);
  if ((plain.match(/\p{L}/gu)?.length ?? 0) < MIN_LETTERS) return choice.fallback;

  const result = detectorFor([...byBase.keys()]).detect(plain);
  const hint = spellingHint(plain);
  const hinted = hint === null ? undefined : byBase.get(hint);
  // The letters outweigh the model between the two languages it confuses most on short texts.
  if (hinted !== undefined && (result.language === 'es' || result.language === 'pt' || !result.isReliable()))
    return hinted;
  const detected = byBase.get(result.language);
  return detected !== undefined && result.isReliable() ? detected : choice.fallback;
}

/** Offered tags by eld's ISO 639-1 code: `pt-BR` → `pt`. The first offered tag of a base wins. */
function offeredByBase(offered: readonly string[]): Map<string, string> {
  const byBase = new Map<string, string>();
  for (const tag of offered) {
    const base = tag.split('-')[0]?.toLowerCase() ?? '';
    if (SUPPORTED.has(base) && !byBase.has(base)) byBase.set(base, tag);
  }
  return byBase;
}

const SUPPORTED = new Set(Object.values(eld.info().Languages));

/**
 * One detector per set of offered languages. eld's subset is state on the instance, so each
 * set gets an instance of its own (`newInstance`) rather than switching the shared one.
 */
const detectors = new Map<string, typeof eld>();
function detectorFor(bases: readonly string[]): typeof eld {
  const key = [...bases].sort().join(',');
  let detector = detectors.get(key);
  if (detector === undefined) {
    detector = eld.newInstance();
    detector.setLanguageSubset([...bases]);
    detectors.set(key, detector);
  }
  return detector;
}

function cleaned(text: string): string {
  return withoutLinksAndAddresses(
    text
      .slice(0, MAX_CHARS * 4)
      .split('\n')
      .filter((line) => !/^\s*>/.test(line))
      .join('\n'),
  )
    .replace(/[\p{N}_]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_CHARS);
}

/**
 * Letters only one of Spanish and Portuguese uses, for the short messages the model cannot
 * tell apart ("¿Novedades?"): ñ ¿ ¡ are Spanish; ã õ ç are Portuguese.
 */
function spellingHint(text: string): 'es' | 'pt' | null {
  const spanish = /[ñ¿¡]/i.test(text);
  const portuguese = /[ãõç]/i.test(text);
  if (spanish === portuguese) return null;
  return spanish ? 'es' : 'pt';
}
