import { existsSync, readlinkSync } from 'node:fs';
import { type FileHandle, mkdir, mkdtemp, open, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

/**
 * What each fsync was for, read at the moment of the call: the synced path (Linux names an
 * open descriptor in /proc/self/fd) and whether the key's file already existed then.
 */
async function recordSyncs(keyPath: string): Promise<{ path: string; keyExisted: boolean }[]> {
  const probe = await open(join(root, 'probe'), 'w');
  const handlePrototype = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  await rm(join(root, 'probe'));
  const original = handlePrototype.sync;
  const syncs: { path: string; keyExisted: boolean }[] = [];
  vi.spyOn(handlePrototype, 'sync').mockImplementation(function (this: FileHandle) {
    syncs.push({ path: readlinkSync(`/proc/self/fd/${this.fd}`), keyExisted: existsSync(keyPath) });
    return original.call(this);
  });
  return syncs;
}

describe.runIf(existsSync('/proc/self/fd'))(
  'the file raw-mail store after put returns (what a crash cannot undo)',
  () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('fsyncs the bytes before the key has a name, and the folder after the rename', async () => {
      await mkdir(folder);
      const store = new FileRawMailStore(folder);
      const syncs = await recordSyncs(store.pathFor('k'));

      await store.put('k', bytes('From: a@b\r\n\r\nhi'));

      const real = await realpath(folder);
      expect(syncs).toHaveLength(2);
      expect(syncs[0]).toMatchObject({ keyExisted: false });
      expect(basename(syncs[0]!.path)).toMatch(/^\.tmp-/);
      expect(syncs[1]).toEqual({ path: real, keyExisted: true });
    });

    it("makes a folder it creates durable in its parent before the first message's", async () => {
      const store = new FileRawMailStore(join(folder, 'inbound'));
      const syncs = await recordSyncs(store.pathFor('k'));

      await store.put('k', bytes('x'));

      const realRoot = await realpath(root);
      expect(syncs.map((sync) => sync.path)).toEqual([
        join(realRoot, 'raw'),
        realRoot,
        expect.stringMatching(/\/\.tmp-/),
        join(realRoot, 'raw', 'inbound'),
      ]);
    });
  },
);
