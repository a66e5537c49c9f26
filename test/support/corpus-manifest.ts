import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { corpusUrl } from './corpus-location.ts';

/**
 * The shared real-world corpus (400 messages from 18 projects' test fixtures, see its README):
 * /work/shared/corpus next to the repository, or wherever ATENDE_CORPUS_DIR points. Located
 * the same way as in test/unit/mail/corpus-classification.test.ts.
 */

export const corpusManifestPath = fileURLToPath(new URL('manifest.json', corpusUrl));
export const corpusPresent = existsSync(corpusManifestPath);

const CorpusEntrySchema = z.object({
  file: z.string(),
  category: z.string(),
  expected: z.object({
    from: z.string().nullable(),
    subject: z.string().nullable(),
    has_attachments: z.boolean().nullable(),
    is_auto_reply: z.boolean(),
    is_bounce: z.boolean(),
  }),
});
export type CorpusEntry = z.infer<typeof CorpusEntrySchema>;

/** The manifest's entries, in manifest order (sorted by file). */
export const readCorpusManifest = (): CorpusEntry[] =>
  z.array(CorpusEntrySchema).parse(JSON.parse(readFileSync(corpusManifestPath, 'utf8')));

/** The raw bytes of one corpus message, untouched. */
export const readCorpusMessage = (entry: CorpusEntry): Buffer => readFileSync(new URL(entry.file, corpusUrl));

/** Subjects are compared after collapsing runs of whitespace, as the corpus README says. */
export const collapseWhitespace = (text: string): string => text.replace(/\s+/g, ' ').trim();
