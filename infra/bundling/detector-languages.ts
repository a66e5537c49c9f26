import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';

/**
 * The language detector's data for the Lambda bundles: eld's `small` n-grams (the data set
 * lib/domain/mail/language-detection.ts imports) restricted to the languages atende has
 * templates for. eld scores every language on its own (a sum over the text's n-grams), and
 * detection is restricted to the policy's offered languages, which need templates to be
 * answered in; so for every offered language the scores, the winner and `isReliable()` are
 * those of the full data. Chosen on 2026-12-04 (commit message of the bundles change):
 *
 * | data set (eld 2.1.0)       | raw      | 75 labelled | 400 corpus mails, as `small` (5 / 3 languages) |
 * |----------------------------|----------|-------------|-----------------------------------------------|
 * | small, 60 languages (today)| 1,910 KB | 75          | 400 / 400                                      |
 * | extrasmall, 60 languages   | 1,129 KB | 75          | 392 / 387                                      |
 * | extrasmall, template langs |   173 KB | 75          | 392 / 387                                      |
 * | small, template languages  |   253 KB | 75          | 400 / 400                                      |
 * | medium, template languages |   253 KB | 75          | 400 / 399                                      |
 * | large, template languages  |   683 KB | 75          | 395 / 383                                      |
 */
export const DETECTOR_DATA_SET = 'small';

/**
 * Where the subset is kept (committed: the bundles alias `eld/small` to the entry beside it):
 * a module that JSON.parses its data from one string (`dataModuleText`). Bundled as an object
 * literal, V8 spent ~50 ms of every cold start building its 13,000 objects; JSON.parse builds
 * them in ~17 ms (min of 9 imports each on this machine, 2026-12-04).
 */
export const DETECTOR_DATA_FILE = new URL('./eld-template-languages-data.js', import.meta.url);
export const DETECTOR_ENTRY_FILE = new URL('./eld-template-languages.js', import.meta.url);

const NgramsData = z.object({
  type: z.string(),
  languages: z.record(z.string(), z.string()),
  isSubset: z.boolean(),
  ngrams: z.record(z.string(), z.record(z.string(), z.number())),
});
export type NgramsData = z.infer<typeof NgramsData>;

/** The data module's text: the data as one JSON string, parsed when the bundle is imported. */
export function dataModuleText(data: NgramsData): string {
  return [
    '// Written by infra/bundling/write-detector-languages.ts from the installed eld: do not edit.',
    `export default JSON.parse(${JSON.stringify(JSON.stringify(data))});`,
    '',
  ].join('\n');
}

/** The base languages (ISO 639-1) of the locale folders under templates/: `pt-BR` → `pt`. */
export function templateLanguages(templatesDirectory: string): string[] {
  const bases = readdirSync(templatesDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
    .map((entry) => entry.name.split('-')[0]?.toLowerCase() ?? '');
  return [...new Set(bases)].filter((base) => base !== '').sort();
}

/** eld's data file as its package ships it (read by path: the package exports only its entries). */
export async function packagedNgrams(repositoryRoot: string, dataSet = DETECTOR_DATA_SET): Promise<NgramsData> {
  const file = pathToFileURL(join(repositoryRoot, 'node_modules', 'eld', 'src', 'ngrams', `${dataSet}.js`));
  const module: unknown = await import(file.href);
  return NgramsData.parse(z.object({ ngramsData: z.unknown() }).parse(module).ngramsData);
}

/**
 * The data restricted to `languages`, renumbered 0…n-1 in eld's order (eld sizes its score
 * array by the number of languages, so the ids must be dense). Languages eld lacks are left out.
 */
export function restrictNgrams(data: NgramsData, languages: readonly string[]): NgramsData {
  const kept = Object.entries(data.languages)
    .filter(([, code]) => languages.includes(code))
    .map(([id]) => id)
    .sort((a, b) => Number(a) - Number(b));
  const renumbered = new Map(kept.map((id, index) => [id, String(index)]));
  const ngrams: NgramsData['ngrams'] = {};
  for (const [ngram, scores] of Object.entries(data.ngrams)) {
    const mine: Record<string, number> = {};
    for (const [id, score] of Object.entries(scores)) {
      const to = renumbered.get(id);
      if (to !== undefined) mine[to] = score;
    }
    if (Object.keys(mine).length > 0) ngrams[ngram] = mine;
  }
  const codes = Object.fromEntries(kept.map((id, index) => [String(index), data.languages[id] ?? '']));
  return { type: data.type, languages: codes, isSubset: true, ngrams };
}
