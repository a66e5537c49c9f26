import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_CEILING_BYTES,
  BUNDLE_FILE,
  LAMBDA_FUNCTION_NAMES,
  type LambdaFunctionName,
} from '../../infra/bundling/function-bundling.ts';
import { nodejsFunctionProps } from '../../infra/bundling/nodejs-function-bundling.ts';
import { runBundle } from '../support/function-bundle-process.ts';
import { lambdaEnvironment } from '../support/lambda-environment.ts';

/**
 * The CDK form of the bundling, as the stack will use it: NodejsFunction bundles each function
 * with the local esbuild at synth (no Docker), and each asset it makes holds the shipped files
 * and imports in a fresh node, as the bundles of function-bundles.test.ts do.
 */
describe('NodejsFunction with the shared bundling', () => {
  let template: Template;
  const assetFolders = new Map<LambdaFunctionName, string>();
  const outdir = mkdtempSync(join(tmpdir(), 'atende-cdk-bundles-'));

  beforeAll(() => {
    // Asset metadata names each function's bundled folder in the cloud assembly.
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Bundles');
    const functions = LAMBDA_FUNCTION_NAMES.map(
      (name) => [name, new NodejsFunction(stack, name, nodejsFunctionProps(name))] as const,
    );
    template = Template.fromStack(stack);
    const { directory } = app.synth();
    const resources = template.findResources('AWS::Lambda::Function');
    for (const [name, fn] of functions) {
      const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnFunction);
      const assetPath: unknown = resources[logicalId]?.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string') throw new Error(`no asset path for ${name}`);
      assetFolders.set(name, join(directory, assetPath));
    }
  }, 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('runs each on nodejs22.x and arm64 with the ESM handler index.handler', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));

    expect(functions).toHaveLength(LAMBDA_FUNCTION_NAMES.length);
    for (const resource of functions)
      expect(resource.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
  });

  it.each(LAMBDA_FUNCTION_NAMES)('makes a %s asset that holds its files and imports', async (name) => {
    const folder = assetFolders.get(name) ?? '';
    for (const shipped of ['policy/default.yaml', 'templates/en/labels.json', 'templates/_pages', 'tables/cp936.json'])
      expect(statSync(join(folder, shipped)).size, shipped).toBeGreaterThan(0);
    expect(statSync(join(folder, BUNDLE_FILE)).size).toBeLessThanOrEqual(BUNDLE_CEILING_BYTES);

    const run = await runBundle(join(folder, BUNDLE_FILE), {
      ...lambdaEnvironment('atende-assets', 'http://127.0.0.1:9'),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });

    expect(run.exports).toEqual(['handler']);
  });

  it('serves the hosted form from the web-form asset (policy and page templates copied by afterBundling)', async () => {
    const run = await runBundle(
      join(assetFolders.get('web-form') ?? '', BUNDLE_FILE),
      {
        ...lambdaEnvironment('atende-assets', 'http://127.0.0.1:9'),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      { rawPath: '/form', rawQueryString: 'lang=es', requestContext: { http: { method: 'GET' } } },
    );

    expect(run.error).toBeUndefined();
    expect(run.result).toMatchObject({ statusCode: 200 });
    expect(String((run.result as { body: unknown }).body)).toContain('lang="es"');
  });

  it("ships the deployment's policy (-c policy=…) as the bundle's policy/default.yaml", () => {
    const zoom = '/srv/support/zoom.yaml';
    const copies = nodejsFunctionProps('timer', zoom).bundling.commandHooks!.afterBundling('/repo', '/asset');

    expect(copies).toContain(`mkdir -p "/asset/policy" && cp -R "${zoom}" "/asset/policy/default.yaml"`);
    expect(copies.join('\n')).not.toContain('/repo/policy/default.yaml');
    expect(nodejsFunctionProps('timer').bundling.commandHooks!.afterBundling('/repo', '/asset')).toContain(
      'mkdir -p "/asset/policy" && cp -R "/repo/policy/default.yaml" "/asset/policy/default.yaml"',
    );
  });
});
