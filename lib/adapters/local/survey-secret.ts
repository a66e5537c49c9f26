import { randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AtendeError } from '../../domain/atende-error.ts';

/** The file, in the data directory, that holds the local stack's survey secret. */
export const SURVEY_SECRET_FILE = 'survey-secret';

const SECRET_BYTES = 32;
const HEX_SECRET = /^[0-9a-f]{64}$/;

/**
 * The secret survey links are signed with. `ATENDE_SURVEY_SECRET` (at least 32 bytes of UTF-8)
 * wins; otherwise `<data dir>/survey-secret`, 32 random bytes in hex written once with mode
 * 0600, so `npm start` and every CLI process sign and verify alike and links survive restarts.
 * Two processes starting at once agree: each writes a file of its own and links it into place,
 * which only one can do (no half-written secret is ever read). Errors name the file, never its content.
 */
export async function localSurveySecret(options: {
  readonly dataDirectory: string;
  readonly override: string | undefined;
}): Promise<Uint8Array> {
  if (options.override !== undefined) return Buffer.from(options.override, 'utf8');
  const path = join(options.dataDirectory, SURVEY_SECRET_FILE);
  const existing = await readSecretFile(path);
  if (existing) return existing;
  await mkdir(options.dataDirectory, { recursive: true });
  const draft = `${path}.${randomUUID()}.tmp`;
  await writeFile(draft, `${randomBytes(SECRET_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, path);
  } catch (error) {
    if (!isErrorCode(error, 'EEXIST')) throw error;
  } finally {
    await unlink(draft);
  }
  const secret = await readSecretFile(path);
  if (!secret) throw invalidFile(path);
  return secret;
}

async function readSecretFile(path: string): Promise<Uint8Array | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return null;
    throw error;
  }
  const hex = text.trim();
  if (!HEX_SECRET.test(hex)) throw invalidFile(path);
  return Buffer.from(hex, 'hex');
}

const invalidFile = (path: string) =>
  new AtendeError(
    'survey.secretInvalid',
    `${path} does not hold a survey secret (${SECRET_BYTES * 2} hex digits); delete it to make a new one (links already sent stop working)`,
    { details: { path } },
  );

const isErrorCode = (error: unknown, code: string): boolean =>
  error instanceof Error && 'code' in error && error.code === code;
