import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Where the shared real-world mail corpus is: ATENDE_CORPUS_DIR when set, else `shared/corpus`
 * beside the repository (the workplace layout), else the workplace's absolute /work/shared/corpus
 * (a checkout made elsewhere on the same machine, as CI's may be). The first that holds a
 * manifest wins; `corpusUrl` always ends with a slash.
 */
const candidates = [
  ...(process.env['ATENDE_CORPUS_DIR']
    ? [pathToFileURL(`${process.env['ATENDE_CORPUS_DIR'].replace(/\/?$/, '/')}`)]
    : []),
  new URL('../../../shared/corpus/', import.meta.url),
  pathToFileURL('/work/shared/corpus/'),
];

export const corpusUrl: URL =
  candidates.find((candidate) => existsSync(new URL('manifest.json', candidate))) ?? candidates[0]!;
