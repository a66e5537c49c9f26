#!/usr/bin/env node
// The `atende` command. The CLI is written in TypeScript; tsx compiles it on the fly
// so `npx atende` works in a checkout right after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./atende.ts');
process.exitCode = await main(process.argv);
