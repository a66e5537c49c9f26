import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';

/**
 * How each Lambda is bundled: one set of esbuild options and one list of shipped files, used by
 * the tests and the bench through `bundleFunction`, and by the CDK stack through
 * nodejs-function-bundling.ts (NodejsFunction's `bundling`), so what is tested is what deploys.
 */

/** The repository, esbuild's working directory: the relative paths below are from here. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** NodejsFunction names an ESM bundle index.mjs; the handler is `index.handler`. */
export const BUNDLE_FILE = 'index.mjs';

/** A file or folder of the repository copied beside the bundle, at the same relative path. */
export interface ShippedFiles {
  readonly from: string;
  readonly to: string;
}

/**
 * What every function reads at run time, found beside the bundle by lib/adapters/shipped-files.ts:
 * the default policy, the templates (notifications and pages: every function renders mail,
 * the web form also pages), and iconv-lite's East Asian code tables, kept out of the bundle
 * (see EXTERNAL) and read only when a mail in GB2312, Big5, Shift_JIS, EUC-JP or EUC-KR arrives.
 */
const SHIPPED_WITH_EVERY_FUNCTION: readonly ShippedFiles[] = [
  { from: 'policy/default.yaml', to: 'policy/default.yaml' },
  { from: 'templates', to: 'templates' },
  { from: 'node_modules/iconv-lite/encodings/tables', to: 'tables' },
];

export interface LambdaFunction {
  /** The handler's source, relative to the repository. */
  readonly entry: string;
  readonly shipped: readonly ShippedFiles[];
}

export const LAMBDA_FUNCTIONS = {
  'inbound-email': { entry: 'functions/inbound-email.ts', shipped: SHIPPED_WITH_EVERY_FUNCTION },
  timer: { entry: 'functions/timer.ts', shipped: SHIPPED_WITH_EVERY_FUNCTION },
  'web-form': { entry: 'functions/web-form.ts', shipped: SHIPPED_WITH_EVERY_FUNCTION },
} as const satisfies Record<string, LambdaFunction>;
export type LambdaFunctionName = keyof typeof LAMBDA_FUNCTIONS;
export const LAMBDA_FUNCTION_NAMES = Object.keys(LAMBDA_FUNCTIONS) as LambdaFunctionName[];

/** Issue 11's target per bundle file: what Lambda reads and compiles at every cold start. */
export const BUNDLE_TARGET_BYTES = 1024 * 1024;
/**
 * What the tests hold each bundle to while the target is not met: the largest today
 * (inbound-email, 2.04 MiB with its SDK clients) with room for a few features, below the
 * 4.5 MiB it was. Above 1 MiB: the SDK clients (~565 KB: S3, SESv2, DynamoDB, Scheduler,
 * Secrets Manager and @smithy/core), mail parsing (mailparser, iconv-lite, libmime,
 * encoding-japanese, html-to-text and its parser, ~500 KB), nodemailer's composer with its own
 * MIME-type table (76 KB, imported by relative path, so no alias can drop it), the language
 * data (250 KB), yaml, zod, luxon and handlebars. bench/function-bundles.ts prints the figures.
 */
export const BUNDLE_CEILING_BYTES = Math.round(2.25 * 1024 * 1024);

/**
 * ESM output has no `require`, `__filename` or `__dirname`; bundled CommonJS dependencies call
 * `require` for Node's built-ins (`Dynamic require of "process" is not supported` without it).
 * Minified, the bundle's own top-level names are renamed, so these cannot collide with them.
 */
export const ESM_REQUIRE_BANNER = [
  "import { createRequire as __atendeCreateRequire } from 'node:module';",
  "import { fileURLToPath as __atendeFileURLToPath } from 'node:url';",
  "import { dirname as __atendeDirname } from 'node:path';",
  'const require = __atendeCreateRequire(import.meta.url);',
  'const __filename = __atendeFileURLToPath(import.meta.url);',
  'const __dirname = __atendeDirname(__filename);',
].join(' ');

/**
 * Left out of the bundle:
 * - iconv-lite's DBCS tables (`./tables/*.json`, ~400 KB): required lazily by iconv-lite only
 *   for those charsets, resolved at run time beside the bundle (shipped as tables/).
 * - `source-map` (26 KB): Handlebars' compiler requires it inside a try and, without it, uses
 *   its own stand-in; it matters only for source maps of templates, which we never ask for.
 */
export const EXTERNAL: readonly string[] = ['./tables/*', 'source-map'];

/**
 * The AWS SDK v3 clients each function uses are bundled (NodejsFunction's `bundleAwsSDK: true`),
 * not taken from the nodejs22.x runtime's copy. Measured by bench/function-bundles.ts on this
 * 2-core machine at load ~9.6: importing the runtime's SDK (hundreds of files) made the cold
 * import 690–1060 ms; bundled and tree-shaken, 260–440 ms, against the 300 ms target, for
 * ~565 KB more per bundle (the 1 MiB target is missed either way). Bundled, production runs
 * the versions package-lock.json pins and the tests ran, not whatever the runtime carries.
 */
export type AwsSdkSource = 'bundled' | 'runtime';
const RUNTIME_SDK = '@aws-sdk/*';

/**
 * Packages replaced in the bundle, by paths relative to the repository:
 * - `eld/small` → the same detector with its data restricted to the template languages
 *   (detector-languages.ts: 253 KB instead of 1.9 MB, the same results).
 * - `libmime` → its CommonJS build for every importer: mailparser imports the ESM build and
 *   mailsplit requires the CommonJS one, which bundled both (twice its 70 KB MIME-type table).
 * - `he` → its default encoder alone (he-encode.js: 87 KB less; mailparser only encodes with it).
 * - `linkify-it` → the same linkifier built on first use (linkify-it-on-first-use.js: ~20 ms less
 *   per cold start; mailparser builds one at import for links atende never asks for).
 */
export const ALIAS: Readonly<Record<string, string>> = {
  'eld/small': './infra/bundling/eld-template-languages.js',
  libmime: './node_modules/libmime/dist/cjs/libmime.js',
  he: './infra/bundling/he-encode.js',
  'linkify-it': './infra/bundling/linkify-it-on-first-use.js',
};

/** The shared esbuild options (NodejsFunction's `bundling` maps onto these one to one). */
export const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // ESM builds of dual packages where they exist: esbuild tree-shakes ESM, not CommonJS.
  mainFields: ['module', 'main'],
  minify: true,
  // A linked index.mjs.map, used with NODE_OPTIONS=--enable-source-maps; without the sources'
  // text, which the stack traces do not need.
  sourcemap: true,
  sourcesContent: false,
  banner: { js: ESM_REQUIRE_BANNER },
  external: [...EXTERNAL],
  alias: { ...ALIAS },
  absWorkingDir: REPOSITORY_ROOT,
  logLevel: 'warning',
} as const satisfies BuildOptions;

export interface FunctionBundle {
  readonly name: LambdaFunctionName;
  readonly directory: string;
  /** The bundle file's path and size (the budgeted figure). */
  readonly file: string;
  readonly bytes: number;
  /** Everything in the directory but the source map: what the deployment package unpacks to. */
  readonly packageBytes: number;
  readonly metafile: Metafile;
}

/** Bundles one function into `directory` (created) with the shared options and copies its files beside it. */
export async function bundleFunction(
  name: LambdaFunctionName,
  directory: string,
  awsSdk: AwsSdkSource = 'bundled',
): Promise<FunctionBundle> {
  const spec: LambdaFunction = LAMBDA_FUNCTIONS[name];
  return { name, ...(await bundleEntry(join(REPOSITORY_ROOT, spec.entry), directory, spec.shipped, awsSdk)) };
}

/** Any entry bundled as the functions are (the tests bundle small probes of one library this way). */
export async function bundleEntry(
  entry: string,
  directory: string,
  shipped: readonly ShippedFiles[] = SHIPPED_WITH_EVERY_FUNCTION,
  awsSdk: AwsSdkSource = 'bundled',
): Promise<Omit<FunctionBundle, 'name'>> {
  const file = join(directory, BUNDLE_FILE);
  const external = awsSdk === 'bundled' ? EXTERNAL : [...EXTERNAL, RUNTIME_SDK];
  const result = await build({
    ...ESBUILD_OPTIONS,
    external: [...external],
    entryPoints: [entry],
    outfile: file,
    metafile: true,
  });
  for (const files of shipped) {
    const target = join(directory, files.to);
    await mkdir(dirname(target), { recursive: true });
    await cp(join(REPOSITORY_ROOT, files.from), target, { recursive: true });
  }
  return {
    directory,
    file,
    bytes: (await stat(file)).size,
    packageBytes: await folderBytes(directory, (path) => !path.endsWith('.map')),
    metafile: result.metafile,
  };
}

async function folderBytes(folder: string, counted: (path: string) => boolean): Promise<number> {
  let total = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && counted(path)) total += (await stat(path)).size;
  }
  return total;
}
