import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { repositoryPath } from './policy-fixtures.ts';

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
