import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileRawMailStore, fileNameForKey } from '../../../lib/adapters/raw-mail/file-raw-mail-store.ts';
import { isAtendeError } from '../../../lib/domain/atende-error.ts';

let root: string;
let folder: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'atende-raw-'));
  folder = join(root, 'raw');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const failure = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe('the file raw-mail store', () => {
  it('gives back what was put, creating the folder on first use', async () => {
    const store = new FileRawMailStore(folder);

    await store.put('0p1q2r3s4t', bytes('From: a@b\r\n\r\nhi'));

    expect(Buffer.from(await store.get('0p1q2r3s4t')).toString()).toBe('From: a@b\r\n\r\nhi');
    expect(await store.has('0p1q2r3s4t')).toBe(true);
  });

  it('replaces a message put twice under one key, leaving no temporary file', async () => {
    const store = new FileRawMailStore(folder);

    await store.put('k', bytes('one'));
    await store.put('k', bytes('two'));

    expect(Buffer.from(await store.get('k')).toString()).toBe('two');
    expect(await readdir(folder)).toEqual(['k']);
  });

  it.each(['../../etc/passwd', '..', '.', '/etc/passwd', 'a/../../b', '..\\..\\windows', '.hidden', 'inbound/../x'])(
    'keeps the key %j inside the folder',
    async (key) => {
      const store = new FileRawMailStore(folder);

      await store.put(key, bytes(key));

      expect(await readdir(root)).toEqual(['raw']);
      expect(await readdir(folder)).toEqual([fileNameForKey(key)]);
      expect(fileNameForKey(key)).not.toMatch(/[/\\]|^\./);
      expect(Buffer.from(await store.get(key)).toString()).toBe(key);
    },
  );

  it('encodes ../../etc/passwd as one plain file name', () => {
    expect(fileNameForKey('../../etc/passwd')).toBe('%2E.%2F..%2Fetc%2Fpasswd');
  });

  it('gives distinct keys distinct files, even ones that look alike once encoded', () => {
    const keys = ['a/b', 'a%2Fb', 'a_b', 'ação', 'a%C3%A7%C3%A3o', '.x', '%2Ex'];

    expect(new Set(keys.map(fileNameForKey)).size).toBe(keys.length);
  });

  it('refuses an empty or an overlong key (mail.invalidKey)', () => {
    expect(() => fileNameForKey('')).toThrow(expect.objectContaining({ code: 'mail.invalidKey' }));
    expect(() => fileNameForKey('é'.repeat(100))).toThrow(expect.objectContaining({ code: 'mail.invalidKey' }));
  });

  it('fails with mail.rawNotFound for a key never stored', async () => {
    expect(isAtendeError(await failure(new FileRawMailStore(folder).get('nope')), 'mail.rawNotFound')).toBe(true);
  });

  it('refuses a file over the limit before reading it (mail.tooLarge)', async () => {
    const store = new FileRawMailStore(folder, { maxBytes: 10 });
    await store.put('big', bytes('x'.repeat(11)));

    const error = await failure(store.get('big'));

    expect(isAtendeError(error, 'mail.tooLarge')).toBe(true);
    expect(isAtendeError(error) && error.details).toMatchObject({ size: 11, maxBytes: 10 });
    expect(await store.get('big', { maxBytes: 11 })).toHaveLength(11);
  });

  it('does not follow a key to a file planted outside its encoding', async () => {
    const store = new FileRawMailStore(folder);
    await store.put('seed', bytes('x'));
    await writeFile(join(root, 'outside'), 'secret');

    expect(isAtendeError(await failure(store.get('../outside')), 'mail.rawNotFound')).toBe(true);
  });
});
