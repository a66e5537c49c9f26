import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_PATH } from '../../../lib/adapters/policy-file.ts';
import { SHIPPED_FILES_ROOT, shippedFilesRoot } from '../../../lib/adapters/shipped-files.ts';
import { DEFAULT_TEMPLATES_DIRECTORY } from '../../../lib/adapters/templates/handlebars-notification-renderer.ts';
import { repositoryPath } from '../../support/policy-fixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'atende-shipped-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const folderWithPolicy = (...parts: string[]): string => {
  const folder = join(root, ...parts);
  mkdirSync(join(folder, 'policy'), { recursive: true });
  writeFileSync(join(folder, 'policy', 'default.yaml'), 'version: 1\n');
  return folder;
};

describe('where the shipped policy and templates are found', () => {
  it('from sources: the repository, two folders above lib/adapters', () => {
    expect(SHIPPED_FILES_ROOT).toBe(repositoryPath('.').replace(/\/$/, ''));
    expect(DEFAULT_POLICY_PATH).toBe(repositoryPath('policy/default.yaml'));
    expect(DEFAULT_TEMPLATES_DIRECTORY).toBe(repositoryPath('templates'));
  });

  it("in a bundle: the bundle's own folder, where the policy ships beside index.mjs", () => {
    const bundle = folderWithPolicy('var', 'task');

    expect(shippedFilesRoot(bundle)).toBe(bundle);
  });

  it('the nearest folder holding policy/default.yaml wins over one further up', () => {
    folderWithPolicy('outer');
    const inner = folderWithPolicy('outer', 'app');
    mkdirSync(join(inner, 'lib', 'adapters'), { recursive: true });

    expect(shippedFilesRoot(join(inner, 'lib', 'adapters'))).toBe(inner);
  });

  it('without one within reach, the starting folder, so the loaders name the missing file there', () => {
    const deep = join(root, 'empty', 'a', 'b', 'c', 'd', 'e');
    mkdirSync(deep, { recursive: true });

    expect(shippedFilesRoot(deep)).toBe(deep);
  });
});
