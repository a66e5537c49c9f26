/**
 * Rewrites infra/bundling/eld-template-languages-data.js from the installed eld and the locale
 * folders under templates/: `npx tsx infra/bundling/write-detector-languages.ts` after updating
 * eld or adding a locale (test/integration/functions/function-bundles.test.ts says when).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DETECTOR_DATA_FILE,
  dataModuleText,
  packagedNgrams,
  restrictNgrams,
  templateLanguages,
} from './detector-languages.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const languages = templateLanguages(fileURLToPath(new URL('../../templates/', import.meta.url)));
const data = restrictNgrams(await packagedNgrams(root), languages);
writeFileSync(DETECTOR_DATA_FILE, dataModuleText(data));
console.log(
  `${fileURLToPath(DETECTOR_DATA_FILE)}: ${languages.join(', ')}, ${Object.keys(data.ngrams).length} n-grams`,
);
