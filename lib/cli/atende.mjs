#!/usr/bin/env node
// The `atende` command. The CLI is written in TypeScript; tsx compiles it on the fly
// so `npx atende` works in a checkout right after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
// The AWS SDK warns on every run that its 2027 releases need Node 22: noise for a local tool
// (Lambda runs nodejs22.x). An explicit setting in the environment still wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('./atende.ts');
process.exitCode = await main(process.argv);
