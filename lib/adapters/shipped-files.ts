import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file that marks the folder atende's own files (policy/, templates/) ship in. */
const MARKER = join('policy', 'default.yaml');
/** How far up to look: lib/adapters/ is two folders below the repository; a bundle sits beside its files. */
const MAX_LEVELS_UP = 4;

/**
 * The folder holding the shipped policy/ and templates/, found from this module's own location:
 * the nearest folder at or above it that has policy/default.yaml. From sources (tsx, tests, the
 * CLI) that is the repository; in a Lambda bundle, whose index.mjs has this module inlined, it is
 * the bundle's folder, where the bundling copies them (infra/constructs/function-bundling.ts).
 * Never an absolute path written in code, so the bundle runs wherever Lambda unpacks it. When no
 * folder has it, this module's own folder is the answer and the loaders name the missing file.
 */
export const SHIPPED_FILES_ROOT = shippedFilesRoot(dirname(fileURLToPath(import.meta.url)));

export function shippedFilesRoot(start: string): string {
  let folder = start;
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    if (existsSync(join(folder, MARKER))) return folder;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return start;
}

/** The version in the package.json shipped with this code (the repository's, or dist/'s root); 'unknown' without one (a Lambda bundle). */
export function packageVersion(): string {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(SHIPPED_FILES_ROOT, 'package.json'), 'utf8'));
    const version =
      typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : null;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
