import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { BUILD_INPUTS_FILE, isBuildFresh } from '../../../lib/cli/built-cli.mjs';

/**
 * When `atende` may run dist/ instead of the sources: only while dist/ was built from the files
 * as they are. A stale build would run code that is no longer in the checkout.
 */
const BUILD_STARTED_AT = Date.parse('2026-12-01T10:00:00Z');
const before = new Date(BUILD_STARTED_AT - 60_000);
const after = new Date(BUILD_STARTED_AT + 60_000);

let folder: string;
const root = () => pathToFileURL(`${folder}/`);
const write = (path: string, text: string, time: Date) => {
  mkdirSync(join(folder, path, '..'), { recursive: true });
  writeFileSync(join(folder, path), text);
  utimesSync(join(folder, path), time, time);
};
const recordBuild = (inputs: string[]) =>
  write(`dist/${BUILD_INPUTS_FILE}`, JSON.stringify({ startedAt: BUILD_STARTED_AT, inputs }), after);

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'atende-freshness-'));
  write('lib/cli/atende.ts', 'export {}', before);
  write('lib/domain/ticket.ts', 'export {}', before);
  write('node_modules/.package-lock.json', '{}', before);
  return () => rmSync(folder, { recursive: true, force: true });
});

describe('a build of the CLI', () => {
  it('is fresh when every file it was built from is older than the build, and so is the last install', () => {
    recordBuild(['lib/cli/atende.ts', 'lib/domain/ticket.ts']);
    expect(isBuildFresh(root())).toBe(true);
  });

  it('is stale once a file it was built from changes', () => {
    recordBuild(['lib/cli/atende.ts', 'lib/domain/ticket.ts']);
    write('lib/domain/ticket.ts', 'export const edited = true;', after);
    expect(isBuildFresh(root())).toBe(false);
  });

  it('is stale once a file it was built from is gone (a rename, a checkout of another branch)', () => {
    recordBuild(['lib/cli/atende.ts', 'lib/domain/ticket.ts']);
    rmSync(join(folder, 'lib/domain/ticket.ts'));
    expect(isBuildFresh(root())).toBe(false);
  });

  it('is stale after an npm install newer than the build (a bundled package may have changed)', () => {
    recordBuild(['lib/cli/atende.ts']);
    write('node_modules/.package-lock.json', '{}', after);
    expect(isBuildFresh(root())).toBe(false);
  });

  it('does not exist, or cannot be read, before the first build or while one runs', () => {
    expect(isBuildFresh(root())).toBe(false);
    write(`dist/${BUILD_INPUTS_FILE}`, '{"startedAt": ', after);
    expect(isBuildFresh(root())).toBe(false);
    write(`dist/${BUILD_INPUTS_FILE}`, JSON.stringify({ startedAt: BUILD_STARTED_AT, inputs: [] }), after);
    expect(isBuildFresh(root())).toBe(false);
  });
});
