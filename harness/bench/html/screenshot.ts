/**
 * A PNG of the page's plots, for the README and docs/bench.md: the Debian
 * package `chromium` driven by playwright-core, as the browser tests do,
 * with every non-file request aborted. Never downloads a browser.
 */
import { launchChromium, openOffline } from '../../reports/offline-browser.js';

/** Screenshots the element `selector` (default: the plots) of the page in `htmlFile` into `pngFile`. */
export async function screenshotPage(htmlFile: string, pngFile: string, selector = '#plots'): Promise<void> {
  const browser = await launchChromium('a screenshot');
  try {
    const { page } = await openOffline(browser, htmlFile, { viewport: { width: 1300, height: 900 }, deviceScaleFactor: 1, colorScheme: 'light' });
    await page.locator(selector).screenshot({ path: pngFile });
  } finally {
    await browser.close();
  }
}
