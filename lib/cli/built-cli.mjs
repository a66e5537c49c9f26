// Whether dist/ may run in place of the sources (lib/cli/atende.mjs asks, before loading either).
// Plain JavaScript: it runs before anything could compile TypeScript.
import { readFileSync, statSync } from 'node:fs';

/** Written by `npm run build` (tools/build-dist.ts): `{ startedAt, inputs: [paths from the root] }`. */
export const BUILD_INPUTS_FILE = 'build-inputs.json';

/**
 * Whether the build in `<root>/<distFolder>` was made from the files as they are now: every
 * repository file it read is older than the build's start, and so is the last `npm ci` /
 * `npm install` (node_modules/.package-lock.json: it may have changed a bundled package).
 * No build, an unreadable record or a file it read that is gone: not fresh (the sources are
 * the truth). `root` is a file: URL ending in '/'.
 *
 * @param {URL} root
 * @param {string} [distFolder]
 * @returns {boolean}
 */
export function isBuildFresh(root, distFolder = 'dist') {
  try {
    const record = JSON.parse(readFileSync(new URL(`${distFolder}/${BUILD_INPUTS_FILE}`, root), 'utf8'));
    const { startedAt, inputs } = record;
    if (typeof startedAt !== 'number' || !Array.isArray(inputs) || inputs.length === 0) return false;
    const changedSinceBuild = (path) => statSync(new URL(path, root)).mtimeMs >= startedAt;
    if (inputs.some(changedSinceBuild)) return false;
    const installed = statSync(new URL('node_modules/.package-lock.json', root), { throwIfNoEntry: false });
    return installed === undefined || installed.mtimeMs < startedAt;
  } catch {
    return false;
  }
}
