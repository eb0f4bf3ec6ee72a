/**
 * report.html in a real browser: the Debian package `chromium`, driven by
 * playwright-core, headless, with every non-file request aborted and
 * recorded. This test never downloads a browser; without /usr/bin/chromium
 * it fails and says which package to install (CI installs it).
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readResultsFile } from './results-schema.js';
import { renderCompareHtml } from './compare-html.js';
import { labelRuns } from './compare-matrix.js';
import { fixtureEvidence, fixtureInput, fixtureResults } from './test-fixture.js';
import { REPORT_FILES, writeReportFolder } from './report-folder.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PROJECT_ROOT = new URL('../../', import.meta.url).pathname;
const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-output');
const REAL_RUN = path.join(PROJECT_ROOT, 'fixtures/results/synapse-ffc');

let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: the report.html browser test needs the Debian package "chromium" (apt-get update && apt-get install -y chromium); it never downloads a browser`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 30_000 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'pc-browser-'));
  await mkdir(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens a file in a fresh page that may load nothing but file:// URLs; returns what it tried otherwise. */
async function open(file: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems, requests };
}

const visibleIds = (page: Page) => page.$$eval('article.req', (els) => els.filter((e) => !(e as HTMLElement).hidden && (e as HTMLElement).offsetParent !== null).map((e) => e.id));
const setBox = (page: Page, name: string, value: string, on: boolean) => page.setChecked(`input[name="${name}"][value="${value}"]`, on);

describe('report.html in Chromium', () => {
  test('loads without console errors or network, runs no server-provided markup, and filters by verdict and level', async () => {
    const reportDir = path.join(dir, 'fixture');
    await writeReportFolder(reportDir, { ...fixtureInput(), evidence: fixtureEvidence() });
    const { page, problems, requests } = await open(path.join(reportDir, REPORT_FILES.html));

    const all = fixtureResults().requirements.map((r) => r.id);
    expect(await visibleIds(page)).toEqual(all);
    expect(await page.textContent('#shown')).toBe(`${all.length} of ${all.length} requirements shown`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.textContent('h1')).toContain('<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>');

    await setBox(page, 'verdict', 'pass', false);
    expect(await visibleIds(page)).toEqual(['PRES-FFC-PUT', 'PRES-FFC-ERRCODE', 'PRES-IDLE-AUTO', 'PRES-CA-OFFERED', 'PRES-FED-SHARED']);
    expect(await page.isHidden('#area-states')).toBe(true);
    expect(await page.textContent('#shown')).toBe(`5 of ${all.length} requirements shown`);

    await setBox(page, 'verdict', 'skip', false);
    await setBox(page, 'verdict', 'error', false);
    expect(await visibleIds(page)).toEqual(['PRES-FFC-PUT', 'PRES-FFC-ERRCODE']);
    await setBox(page, 'level', 'MUST', false);
    expect(await visibleIds(page)).toEqual(['PRES-FFC-ERRCODE']);
    await setBox(page, 'level', 'MUST', true);

    await page.click('#PRES-FFC-PUT details.evidence summary');
    expect(await page.isVisible('#PRES-FFC-PUT .exchange[data-seq="2"]')).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-fixture-failures.png'), fullPage: true });

    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  });

  test('a report rendered from a real run loads cleanly, and junit.xml is well-formed XML', async () => {
    const reportDir = path.join(dir, 'real');
    await cp(REAL_RUN, reportDir, { recursive: true });
    const results = await readResultsFile(path.join(reportDir, 'results.json'));
    // Rendered anew from its results alone (its evidence is not read back): the exchanges show as not recorded.
    await writeReportFolder(reportDir, { results, evidence: new Map() });
    const { page, problems, requests } = await open(path.join(reportDir, REPORT_FILES.html));
    expect(await visibleIds(page)).toEqual(results.requirements.map((r) => r.id));
    await setBox(page, 'verdict', 'pass', false);
    expect(await visibleIds(page)).toEqual(results.requirements.filter((r) => r.verdict !== 'pass').map((r) => r.id));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-synapse-ffc.png'), fullPage: true });

    const junit = await readFile(path.join(reportDir, REPORT_FILES.junit), 'utf8');
    const parsed = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, testcases: doc.querySelectorAll('testcase').length };
    }, junit);
    expect(parsed).toEqual({ error: null, testcases: results.requirements.flatMap((r) => r.tests).length });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  });

  test('compare.html loads without console errors or network', async () => {
    const file = path.join(dir, 'compare.html');
    const runs = [fixtureResults(), await readResultsFile(path.join(REAL_RUN, 'results.json'))];
    await writeFile(file, renderCompareHtml(labelRuns(runs.map((results, i) => ({ file: `run${i}`, results })))));
    const { page, problems, requests } = await open(file);
    const ids = new Set(runs.flatMap((r) => r.requirements.map((q) => q.id)));
    // One row per requirement of either run, then one total per level.
    expect(await page.$$eval('#matrix tbody tr', (rows) => rows.length)).toBe(ids.size + 3);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  });
});
