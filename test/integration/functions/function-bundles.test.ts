import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as z from 'zod';
import {
  DETECTOR_DATA_FILE,
  packagedNgrams,
  restrictNgrams,
  templateLanguages,
} from '../../../infra/bundling/detector-languages.ts';
import {
  BUNDLE_CEILING_BYTES,
  bundleEntry,
  bundleFunction,
  type FunctionBundle,
  LAMBDA_FUNCTION_NAMES,
  type LambdaFunctionName,
} from '../../../infra/bundling/function-bundling.ts';
import { detectLanguage } from '../../../lib/domain/mail/language-detection.ts';
import { parseInboundMail } from '../../../lib/domain/mail/parse-inbound-mail.ts';
import { corpusUrl } from '../../support/corpus-location.ts';
import { corpusPresent, readCorpusManifest } from '../../support/corpus-manifest.ts';
import { type TestTicketTable, testTicketTables } from '../../support/dynamodb-test-table.ts';
import { runBundle } from '../../support/function-bundle-process.ts';
import { lambdaEnvironment } from '../../support/lambda-environment.ts';
import { motoClientConfig, useMotoServer } from '../../support/moto-server.ts';
import { repositoryPath } from '../../support/policy-fixtures.ts';

/**
 * The Lambda bundles as they deploy: each function built once with the shared esbuild options
 * (infra/bundling/function-bundling.ts) into a folder outside the repository, then imported
 * and invoked in a fresh `node` with nothing beside it but its shipped files (no node_modules:
 * the SDK clients are bundled too), against DynamoDB Local and moto_server's S3. The import crash of issue 11
 * (`Dynamic require of "process" is not supported`) and the policy looked for at
 * `/policy/default.yaml` fail here first.
 */
const tables = testTicketTables();
const moto = useMotoServer();
const RAW_MAIL_BUCKET = 'atende-raw-mail-test';
const SES_MESSAGE_ID = 'o3vrnil0e2ic28trr8b2n4ggbb1dd0b3ug5t8e01';
let folder: string;
let table: TestTicketTable;
const bundles = new Map<LambdaFunctionName, FunctionBundle>();

const environment = (): Record<string, string> => ({
  ...lambdaEnvironment(table.tableName, inject('dynamodbEndpoint')),
  AWS_ENDPOINT_URL_S3: moto().endpoint,
  AWS_S3_FORCE_PATH_STYLE: 'true',
  AWS_MAX_ATTEMPTS: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});
const bundle = (name: LambdaFunctionName): FunctionBundle => {
  const built = bundles.get(name);
  if (built === undefined) throw new Error(`${name} was not bundled`);
  return built;
};

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'atende-bundles-'));
  for (const name of LAMBDA_FUNCTION_NAMES) bundles.set(name, await bundleFunction(name, join(folder, name)));
  table = await tables.create();
}, 120_000);
afterAll(async () => {
  await tables.dropAll();
  await rm(folder, { recursive: true, force: true });
});

describe.each(LAMBDA_FUNCTION_NAMES)('the %s bundle', (name) => {
  it(`stays within ${(BUNDLE_CEILING_BYTES / 1024 / 1024).toFixed(2)} MiB`, () => {
    expect(bundle(name).bytes).toBeGreaterThan(0);
    expect(bundle(name).bytes).toBeLessThanOrEqual(BUNDLE_CEILING_BYTES);
  });

  it('imports in a fresh node outside the repository and exports its handler', async () => {
    const run = await runBundle(bundle(name).file, environment());

    expect(run.exports).toEqual(['handler']);
    expect(run.handlerType).toBe('function');
  });
});

describe('the bundled handlers, with only what ships beside them', () => {
  it('inbound-email: reads the raw mail from S3, parses it and records it, with the policy and templates beside the bundle', async () => {
    const s3 = new S3Client(motoClientConfig(moto().endpoint));
    await s3.send(new CreateBucketCommand({ Bucket: RAW_MAIL_BUCKET }));
    await s3.send(
      new PutObjectCommand({
        Bucket: RAW_MAIL_BUCKET,
        Key: `inbound/${SES_MESSAGE_ID}`,
        Body: readFileSync(repositoryPath('test/fixtures/mail/es-out-of-office.eml')),
      }),
    );
    const event = JSON.parse(
      readFileSync(repositoryPath('test/fixtures/events/ses/receipt-lambda-action.json'), 'utf8'),
    );

    const run = await runBundle(bundle('inbound-email').file, environment(), event);

    expect(run.error).toBeUndefined();
    expect(run.result).toEqual({ results: [{ outcome: 'quarantined', reason: 'inbound.autoReply' }] });
  });

  it('inbound-email: drops a malformed event with an empty result instead of throwing', async () => {
    const run = await runBundle(bundle('inbound-email').file, environment(), { Records: 'no' });

    expect(run.result).toEqual({ results: [] });
  });

  it("timer: a firing for a ticket the table does not hold is answered 'ticket-gone'", async () => {
    const firing = {
      schedule: 'atende-4242-warning-1',
      ticketNumber: 4242,
      kind: 'warning',
      target: 'firstResponse',
      level: 1,
      dueAt: '2026-11-23T15:00:00.000Z',
    };

    const run = await runBundle(bundle('timer').file, environment(), firing);

    expect(run.error).toBeUndefined();
    expect(run.result).toEqual({ outcome: 'ticket-gone', ticketNumber: 4242 });
  });

  it("web-form: serves the hosted form in the requester's language from the page templates beside the bundle", async () => {
    const event = {
      rawPath: '/form',
      rawQueryString: 'lang=pt-BR',
      headers: { accept: 'text/html' },
      requestContext: { http: { method: 'GET', sourceIp: '198.51.100.7' } },
    };

    const run = await runBundle(bundle('web-form').file, environment(), event);

    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({
      statusCode: 200,
      headers: { 'content-type': expect.stringMatching(/text\/html/) },
    });
    expect(String((run.result as { body: unknown }).body)).toContain('lang="pt-BR"');
  });
});

/**
 * Two parts the bundles change on purpose, each bundled alone with the same options (a probe
 * entry exporting `handler`) and compared with the sources: iconv-lite's East Asian tables
 * read from beside the bundle, and the language detector's data restricted to the template
 * languages.
 */
describe('what the bundling swaps out', () => {
  const probe = async (name: string, source: string): Promise<string> => {
    const entry = join(folder, `${name}.ts`);
    await writeFile(entry, source);
    return (await bundleEntry(entry, join(folder, name))).file;
  };
  const libraryPath = (relative: string) => JSON.stringify(repositoryPath(relative));

  it.each([
    ['Shift_JIS', '838d834f8343839382c582ab82dc82b982f1', 'ログインできません'],
    ['GB2312', 'cedeb7a8b5c7c2bc', '无法登录'],
    ['EUC-KR', 'b7ceb1d7c0cec7d220bcf620bef8bdc0b4cfb4d9', '로그인할 수 없습니다'],
  ])('decodes a %s mail with the code tables shipped beside the bundle', async (charset, hex, text) => {
    const file = await probe(
      `mail-${charset}`,
      `import { parseInboundMail } from ${libraryPath('lib/domain/mail/parse-inbound-mail.ts')};
       export const handler = async (raw: string) => (await parseInboundMail(Buffer.from(raw, 'base64'))).text;`,
    );
    const raw = Buffer.concat([
      Buffer.from(
        `From: kenji@example.jp\r\nTo: servicedesk@example.com\r\nSubject: login\r\nMessage-ID: <a@example.jp>\r\n` +
          `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=${charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`,
      ),
      Buffer.from(hex, 'hex'),
      Buffer.from('\r\n'),
    ]);

    const run = await runBundle(file, {}, raw.toString('base64'));

    expect(run.error).toBeUndefined();
    expect(String(run.result).trim()).toBe(text);
  });

  it.skipIf(!corpusPresent)(
    'reads every corpus message as the sources do, with he and linkify-it swapped (their stand-ins beside the bundling)',
    async () => {
      const files = readCorpusManifest().map((entry) => fileURLToPath(new URL(entry.file, corpusUrl)));
      const file = await probe(
        'corpus',
        `import { readFileSync } from 'node:fs';
         import { createHash } from 'node:crypto';
         import { parseInboundMail } from ${libraryPath('lib/domain/mail/parse-inbound-mail.ts')};
         const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value, (_key, inner) =>
           inner !== null && typeof inner === 'object' && inner.type === 'Buffer' ? createHash('sha256').update(Buffer.from(inner.data)).digest('hex') : inner)).digest('hex');
         export const handler = async (files: string[]) => Promise.all(files.map(async (path) => {
           try { return digest(await parseInboundMail(readFileSync(path))); } catch (error) { return String((error as { code?: string }).code); }
         }));`,
      );
      const digest = (value: unknown) =>
        createHash('sha256')
          .update(
            JSON.stringify(value, (_key, inner) =>
              inner !== null && typeof inner === 'object' && inner.type === 'Buffer'
                ? createHash('sha256').update(Buffer.from(inner.data)).digest('hex')
                : inner,
            ),
          )
          .digest('hex');
      const fromSources = await Promise.all(
        files.map(async (path) => {
          try {
            return digest(await parseInboundMail(readFileSync(path)));
          } catch (error) {
            return String((error as { code?: string }).code);
          }
        }),
      );

      const run = await runBundle(file, {}, files);

      expect(run.error).toBeUndefined();
      expect(files.length).toBe(400);
      expect(run.result).toEqual(fromSources);
    },
    60_000,
  );

  it("keeps the restricted data equal to eld's own for the template languages (else: npx tsx infra/bundling/write-detector-languages.ts)", async () => {
    const languages = templateLanguages(repositoryPath('templates'));
    const committed: unknown = z.object({ default: z.unknown() }).parse(await import(DETECTOR_DATA_FILE.href)).default;

    expect(languages).toEqual(['de', 'en', 'es', 'pt', 'ru']);
    expect(committed).toEqual(restrictNgrams(await packagedNgrams(repositoryPath('.')), languages));
  });

  it('names the language of every labelled sample as the sources do, with the restricted data', async () => {
    const { samples } = z
      .object({ samples: z.array(z.object({ language: z.string(), text: z.string() })) })
      .parse(JSON.parse(readFileSync(repositoryPath('test/fixtures/mail/language-samples.json'), 'utf8')));
    const choices = [
      { offered: ['en', 'es', 'pt-BR', 'de', 'ru'], fallback: 'en' },
      { offered: ['en', 'es', 'pt-BR'], fallback: 'es' },
      { offered: ['pt', 'en'], fallback: 'en' },
    ];
    const texts = [
      ...samples.map((sample) => sample.text),
      'Bonjour, je ne peux pas me connecter depuis ce matin.',
      'Ich kann mich seit heute Morgen nicht anmelden.',
      '¿Novedades?',
      'Ok',
    ];
    const file = await probe(
      'language',
      `import { detectLanguage } from ${libraryPath('lib/domain/mail/language-detection.ts')};
       export const handler = async ({ texts, choices }: { texts: string[]; choices: { offered: string[]; fallback: string }[] }) =>
         choices.map((choice) => texts.map((text) => detectLanguage(text, choice)));`,
    );

    const run = await runBundle(file, {}, { texts, choices });

    expect(run.error).toBeUndefined();
    expect(run.result).toEqual(choices.map((choice) => texts.map((text) => detectLanguage(text, choice))));
  });
});
