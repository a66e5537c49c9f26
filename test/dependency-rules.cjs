/**
 * The layering, checked on every `npm test` (dependency-cruiser):
 * functions → use cases (lib/application) → domain (lib/domain); adapters implement ports.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'Domain code takes time and data as arguments: no adapters, use cases, AWS SDK, file system or network.',
      severity: 'error',
      from: { path: '^lib/domain/' },
      to: {
        path: '^(lib/(adapters|application|cli)/|functions/|infra/)|@aws-sdk|^(node:)?(fs|fs/promises|net|http|https|child_process|dgram|dns)$',
      },
    },
    {
      name: 'use-cases-depend-on-ports',
      comment: 'Use cases reach AWS and local parts only through ports passed in.',
      severity: 'error',
      from: { path: '^lib/application/' },
      to: {
        path: '^(lib/(adapters|cli)/|functions/|infra/)|@aws-sdk|^(node:)?(fs|fs/promises|net|http|https|child_process)$',
      },
    },
    {
      name: 'adapters-do-not-reach-up',
      severity: 'error',
      from: { path: '^lib/adapters/' },
      to: { path: '^(lib/cli/|functions/|infra/)' },
    },
    {
      name: 'handlers-stay-thin',
      comment: 'A Lambda handler adapts an event to a use case; AWS clients are built in adapters.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '@aws-sdk|^(lib/cli|infra)/' },
    },
    {
      name: 'powertools-in-the-aws-adapters',
      comment: 'Logs and metrics reach Powertools through lambda-telemetry.ts; use cases report to a port.',
      severity: 'error',
      from: { pathNot: '^lib/adapters/aws/' },
      to: { path: '@aws-lambda-powertools' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(test|bench)/' },
  },
};
