#!/usr/bin/env node
// The `atende` command. It runs the CLI built into dist/ by `npm run build` (npm ci builds it,
// through `prepare`) while that build is fresh; without one, or once a source it was built
// from has changed, it runs the TypeScript sources through tsx instead: always the code in
// this checkout, fast when built (≈0.3 s for --help, against 2–4 s through tsx).
import { readFileSync, statSync } from 'node:fs';

// The AWS SDK warns on every run that its 2027 releases need Node 22: noise for a local tool
// (Lambda runs nodejs22.x). An explicit setting in the environment still wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = new URL('../../', import.meta.url);

/**
 * Whether dist/ was built from the sources as they are now: every file the build read is older
 * than the build's start, and so is the last `npm ci` / `npm install` (it may have changed a
 * bundled package). ATENDE_FROM_SOURCES=1 always runs the sources.
 */
function builtCliIsFresh() {
  if (process.env.ATENDE_FROM_SOURCES === '1') return false;
  try {
    const { startedAt, inputs } = JSON.parse(readFileSync(new URL('dist/build-inputs.json', root), 'utf8'));
    if (typeof startedAt !== 'number' || !Array.isArray(inputs)) return false;
    const changedSince = (path) => statSync(new URL(path, root)).mtimeMs >= startedAt;
    if (inputs.some(changedSince)) return false;
    return !changedSinceIfPresent('node_modules/.package-lock.json', startedAt);
  } catch {
    // No build, or a file it was built from is gone: the sources are the truth.
    return false;
  }
}

function changedSinceIfPresent(path, time) {
  const stats = statSync(new URL(path, root), { throwIfNoEntry: false });
  return stats !== undefined && stats.mtimeMs >= time;
}

let cli;
if (builtCliIsFresh()) {
  cli = await import('../../dist/cli/atende.js');
} else {
  if (process.stderr.isTTY)
    process.stderr.write(
      'atende: running from the sources (dist/ is missing or older than them; `npm run build` makes it fast)\n',
    );
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('./atende.ts');
}
process.exitCode = await cli.main(process.argv);
