/**
 * A PNG of the page's plots, for the README and docs/bench.md: the Debian
 * package `chromium` driven by playwright-core, as the browser tests do,
 * with every non-file request aborted. Never downloads a browser.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { HarnessError } from '../../errors.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshots the element `selector` (default: the plots) of the page in `htmlFile` into `pngFile`. */
export async function screenshotPage(htmlFile: string, pngFile: string, selector = '#plots'): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new HarnessError(`${CHROMIUM} not found: a screenshot needs the Debian package "chromium" (apt-get install -y chromium)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
  try {
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, deviceScaleFactor: 1, colorScheme: 'light' });
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    await page.locator(selector).screenshot({ path: pngFile });
  } finally {
    await browser.close();
  }
}
