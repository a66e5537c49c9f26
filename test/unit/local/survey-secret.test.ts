import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localStackConfig } from '../../../lib/adapters/local/local-stack-config.ts';
import { localSurveySecret, SURVEY_SECRET_FILE } from '../../../lib/adapters/local/survey-secret.ts';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'atende-survey-secret-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

describe('the local stack’s survey secret', () => {
  it('is made once in <data dir>/survey-secret, readable by its owner only, and reused after a restart', async () => {
    const dataDirectory = join(folder, 'data');

    const first = await localSurveySecret({ dataDirectory, override: undefined });
    const again = await localSurveySecret({ dataDirectory, override: undefined });

    expect(first.byteLength).toBe(32);
    expect(Buffer.from(again)).toEqual(Buffer.from(first));
    const file = join(dataDirectory, SURVEY_SECRET_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(Buffer.from(first).toString('hex'));
  });

  it('is the same for processes starting at once (the stack and CLI commands), and leaves no draft behind', async () => {
    const secrets = await Promise.all(
      Array.from({ length: 8 }, () => localSurveySecret({ dataDirectory: folder, override: undefined })),
    );

    expect(new Set(secrets.map((secret) => Buffer.from(secret).toString('hex'))).size).toBe(1);
    expect(await readdir(folder)).toEqual([SURVEY_SECRET_FILE]);
  });

  it('differs between data directories', async () => {
    const a = await localSurveySecret({ dataDirectory: join(folder, 'a'), override: undefined });
    const b = await localSurveySecret({ dataDirectory: join(folder, 'b'), override: undefined });

    expect(Buffer.from(a)).not.toEqual(Buffer.from(b));
  });

  it('is ATENDE_SURVEY_SECRET when set, and then no file is written', async () => {
    const override = localStackConfig({ ATENDE_SURVEY_SECRET: 'x'.repeat(32) }).surveySecret;

    const secret = await localSurveySecret({ dataDirectory: folder, override });

    expect(Buffer.from(secret).toString('utf8')).toBe('x'.repeat(32));
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses an ATENDE_SURVEY_SECRET under 32 bytes, naming the variable and not the value', () => {
    expect(() => localStackConfig({ ATENDE_SURVEY_SECRET: 'short-secret' })).toThrow(
      expect.objectContaining({
        code: 'config.invalidVariable',
        message: expect.not.stringContaining('short-secret'),
        details: expect.objectContaining({ variable: 'ATENDE_SURVEY_SECRET' }),
      }),
    );
    expect(localStackConfig({ ATENDE_SURVEY_SECRET: '' }).surveySecret).toBeUndefined();
  });

  it('refuses a secret file that does not hold one, naming the file and not its content', async () => {
    await writeFile(join(folder, SURVEY_SECRET_FILE), 'not-hex-at-all\n');

    await expect(localSurveySecret({ dataDirectory: folder, override: undefined })).rejects.toMatchObject({
      code: 'survey.secretInvalid',
      message: expect.not.stringContaining('not-hex-at-all'),
      details: { path: join(folder, SURVEY_SECRET_FILE) },
    });
  });
});
