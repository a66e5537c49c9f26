import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The name in the package.json that marks atende's root (any other package.json above is not ours). */
const PACKAGE_NAME = 'atende';

/**
 * The folder atende's files ship in (policy/, templates/, package.json). The code runs from
 * lib/adapters/ under tsx and from one bundle in dist/ once built, so a path relative to
 * import.meta.url would differ between the two: the root is the nearest folder above the code
 * whose package.json is atende's. Where there is none (a Lambda asset, which carries policy/
 * and templates/ beside its bundle), it is the code's own folder.
 */
function findPackageRoot(codeFolder: string): string {
  for (let folder = codeFolder; ; folder = dirname(folder)) {
    if (isAtendePackage(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) return codeFolder;
  }
}

function isAtendePackage(manifestPath: string): boolean {
  if (!existsSync(manifestPath)) return false;
  try {
    const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
    return typeof manifest === 'object' && manifest !== null && 'name' in manifest && manifest.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

let packageRoot: string | undefined;

/** The absolute path of `relativePath` ('policy/default.yaml', 'templates/') in atende's package. */
export function packageFile(relativePath: string): string {
  packageRoot ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return join(packageRoot, relativePath);
}

/** The version in the package.json that ships with this code; 'unknown' when it has none. */
export function packageVersion(): string {
  try {
    const manifest: unknown = JSON.parse(readFileSync(packageFile('package.json'), 'utf8'));
    const version =
      typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : null;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
