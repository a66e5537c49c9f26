import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { type LocalStackProcess, startLocalStackProcess } from './local-stack-process.ts';
import { repositoryPath } from './policy-fixtures.ts';
import { runCli } from './run-cli.ts';

/**
 * A real browser for the pages' specifications: Debian's `chromium` (`.ci/run` installs it when
 * missing) driven by `playwright-core`, which ships no browser of its own. Headless; no sandbox,
 * since CI runs as root, where Chromium's sandbox cannot start.
 */
export const CHROMIUM_PATH = process.env['ATENDE_CHROMIUM'] ?? '/usr/bin/chromium';

/** Where the specs leave a screenshot of every page they look at, for a reviewer (ignored by git). */
export const SCREENSHOTS = repositoryPath('test-output/screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install chromium (or set ATENDE_CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** A full-page screenshot named after what the page shows: test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * One local stack and one browser for a spec file, started together before its specs and stopped
 * after them (the stack must exit 0); the file's specs read them through the getters.
 */
export function useStackAndBrowser(): { stack: () => LocalStackProcess; browser: () => Browser } {
  let stack: LocalStackProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startLocalStackProcess(), launchBrowser()]);
    Object.assign(process.env, stack.environment);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    expect(await stack?.stop()).toBe(0);
  });
  return {
    stack: () => stack ?? fail('the local stack did not start'),
    browser: () => browser ?? fail('the browser did not start'),
  };
}

const fail = (message: string): never => {
  throw new Error(message);
};

/** `atende …` against the running stack: its output, or a failure naming the exit code. */
export async function cli(...args: string[]): Promise<string> {
  const run = await runCli(...args);
  if (run.exitCode !== 0) throw new Error(`atende ${args.join(' ')} exited ${run.exitCode}: ${run.stderr}`);
  return run.stdout;
}

/** The mail in `atende outbox` to an address, oldest first. */
export async function outboxTo(address: string): Promise<{ to: string[]; subject: string; text: string }[]> {
  const all = JSON.parse(await cli('outbox', '--json')) as { to: string[]; subject: string; text: string }[];
  return all.filter((mail) => mail.to.includes(address));
}
