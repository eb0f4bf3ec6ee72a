/**
 * The one way the project drives a browser: the Debian package `chromium`
 * through playwright-core, headless, every non-file request aborted (and
 * recorded). It never downloads a browser. Used by the browser tests of
 * report.html and bench.html and by bench.html's screenshot.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { HarnessError } from '../errors.js';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Chromium, or a one-line cause naming the package when it is not installed (`what` needs it). */
export async function launchChromium(what: string): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new HarnessError(`${CHROMIUM} not found: ${what} needs the Debian package "chromium" (apt-get update && apt-get install -y chromium); it never downloads a browser`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
}

/** A page on `file` in a fresh context that may load nothing but file:// URLs: what it tried otherwise, and what it complained of. */
export async function openOffline(browser: Browser, file: string, context: BrowserContextOptions): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const ctx = await browser.newContext(context);
  const problems: string[] = [];
  const requests: string[] = [];
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems, requests };
}
