import { join, resolve } from 'node:path';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import {
  ALIAS,
  ESBUILD_OPTIONS,
  ESM_REQUIRE_BANNER,
  EXTERNAL,
  LAMBDA_FUNCTIONS,
  type LambdaFunctionName,
  REPOSITORY_ROOT,
} from './function-bundling.ts';

/** Where the bundle's policy sits (SHIPPED_WITH_EVERY_FUNCTION): the marker shipped-files.ts finds. */
const SHIPPED_POLICY = 'policy/default.yaml';

/**
 * function-bundling.ts in the form CDK's NodejsFunction takes: the same esbuild options, run by
 * the locally installed esbuild (no Docker), and the shipped files copied in afterBundling. The
 * stack spreads this into its NodejsFunction and adds role, environment, memory and timeout.
 */
export function nodejsFunctionProps(
  name: LambdaFunctionName,
  policy?: string,
): Required<
  Pick<
    NodejsFunctionProps,
    'entry' | 'handler' | 'runtime' | 'architecture' | 'projectRoot' | 'depsLockFilePath' | 'bundling'
  >
> {
  return {
    entry: join(REPOSITORY_ROOT, LAMBDA_FUNCTIONS[name].entry),
    handler: 'handler',
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    // esbuild runs here, so ALIAS's paths (relative to the repository) resolve.
    projectRoot: REPOSITORY_ROOT,
    depsLockFilePath: join(REPOSITORY_ROOT, 'package-lock.json'),
    bundling: nodejsFunctionBundling(name, policy),
  };
}

/**
 * `policy`: the deployment's policy file (`-c policy=…`), shipped as the bundle's
 * policy/default.yaml, the file the functions load when ATENDE_POLICY is unset.
 */
export function nodejsFunctionBundling(name: LambdaFunctionName, policy?: string): BundlingOptions {
  const shipped = LAMBDA_FUNCTIONS[name].shipped.map((files) =>
    policy !== undefined && files.to === SHIPPED_POLICY ? { ...files, from: policy } : files,
  );
  return {
    format: OutputFormat.ESM,
    target: ESBUILD_OPTIONS.target,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    minify: ESBUILD_OPTIONS.minify,
    sourceMap: ESBUILD_OPTIONS.sourcemap,
    sourcesContent: ESBUILD_OPTIONS.sourcesContent,
    banner: ESM_REQUIRE_BANNER,
    // The SDK clients are bundled (function-bundling.ts says why); only EXTERNAL stays out.
    bundleAwsSDK: true,
    externalModules: [...EXTERNAL],
    esbuildArgs: { '--alias': Object.entries(ALIAS).map(([from, to]) => `${from}=${to}`) },
    forceDockerBundling: false,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string) =>
        shipped.map(
          (files) =>
            `mkdir -p "${join(outputDir, files.to, '..')}" && cp -R "${resolve(inputDir, files.from)}" "${join(outputDir, files.to)}"`,
        ),
    },
  };
}
