#!/usr/bin/env node
// The `atende` command. It runs the CLI built into dist/ by `npm run build` (npm ci builds it,
// through `prepare`) while that build is fresh; without one, or once a file it was built from
// has changed, it runs the TypeScript sources through tsx instead: always the code of this
// checkout, quick when built (--help in ≈0.15 s of CPU, against ≈0.9 s through tsx).
// ATENDE_FROM_SOURCES=1 runs the sources whatever dist/ holds.
import { isBuildFresh } from './built-cli.mjs';

// The AWS SDK warns on every run that its 2027 releases need Node 22: noise for a local tool
// (Lambda runs nodejs22.x). An explicit setting in the environment still wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const fromSources = process.env.ATENDE_FROM_SOURCES === '1' || !isBuildFresh(new URL('../../', import.meta.url));
let cli;
if (fromSources) {
  // Said only to a person at a terminal: scripts and tests read stderr.
  if (process.stderr.isTTY && process.env.ATENDE_FROM_SOURCES !== '1')
    process.stderr.write('atende: running the sources (dist/ is missing or older than them; `npm run build`)\n');
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('./atende.ts');
} else {
  cli = await import('../../dist/cli/atende.js');
}
process.exitCode = await cli.main(process.argv);
