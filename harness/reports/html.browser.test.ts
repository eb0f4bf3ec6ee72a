/**
 * report.html in a real browser: the Debian package `chromium`, driven by
 * playwright-core, headless, with every non-file request aborted and
 * recorded. This test never downloads a browser; without /usr/bin/chromium
 * it fails and says which package to install (CI installs it).
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openOffline } from './offline-browser.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readResultsFile } from './results-schema.js';
import { renderCompareHtml } from './compare-html.js';
import { labelRuns } from './compare-matrix.js';
import { fixtureEvidence, fixtureInput, fixtureResults } from './test-fixture.js';
import { REPORT_FILES, writeReportFolder } from './report-folder.js';
import { FACTS, federationStory, idleStory } from './timeline/fixtures.js';

const PROJECT_ROOT = new URL('../../', import.meta.url).pathname;
const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-output');
const REAL_RUN = path.join(PROJECT_ROOT, 'fixtures/results/synapse-ffc');

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium('the report.html browser test');
  dir = await mkdtemp(path.join(os.tmpdir(), 'pc-browser-'));
  await mkdir(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens a file in a fresh page that may load nothing but file:// URLs; returns what it tried otherwise. */
function open(file: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  return openOffline(browser, file, { viewport: { width: 1200, height: 900 } });
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

  test("a failed story's timeline is drawn: a sized SVG with its lanes, the failing observation boxed, no console error", async () => {
    const reportDir = path.join(dir, 'timeline');
    const input = fixtureInput();
    const results = { ...input.results, target: { ...input.results.target, ...FACTS } };
    const idle = results.requirements.find((r) => r.id === 'PRES-IDLE-AUTO')!;
    const fed = results.requirements.find((r) => r.id === 'PRES-FFC-PUT')!;
    const evidence = fixtureEvidence();
    evidence.set(idle.tests[0]!.evidence!, idleStory());
    evidence.set(fed.tests[0]!.evidence!, federationStory());
    await writeReportFolder(reportDir, { ...input, results, evidence });
    const { page, problems, requests } = await open(path.join(reportDir, REPORT_FILES.html));

    const drawn = await page.$$eval('figure.timeline svg', (svgs) => svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const lanes = [...svg.querySelectorAll('g.lane')].map((g) => ({ label: g.getAttribute('data-label'), height: (g as SVGGraphicsElement).getBBox().height }));
      const failing = svg.querySelector('g.failing rect')?.getBoundingClientRect();
      return { id: svg.closest('article')?.id, width: box.width, height: box.height, lanes, failing: failing ? failing.width * failing.height : 0 };
    }));
    expect(drawn.map((d) => d.id)).toEqual(['PRES-FFC-PUT', 'PRES-IDLE-AUTO']);
    for (const d of drawn) {
      expect(d.width).toBeGreaterThan(900);
      expect(d.height).toBeGreaterThan(200);
      expect(d.failing).toBeGreaterThan(0);
      for (const lane of d.lanes) expect(lane.height, lane.label ?? '').toBeGreaterThan(0);
    }
    expect(drawn[1]!.lanes.map((l) => l.label)).toEqual(['alice', 'alice: windows', 'bob', 'bob sees alice', 'server jobs', 'story waits for']);
    expect(drawn[0]!.lanes.map((l) => l.label)).toContain('link 127.0.0.1:1001 -> 127.0.0.1:1002');
    // currently_active is hatched over its span's colour.
    const hatch = await page.$eval('#PRES-IDLE-AUTO g.span[data-currently-active] path.hatch', (p) => {
      const box = (p as SVGGraphicsElement).getBBox();
      return { width: box.width, height: box.height };
    });
    expect(hatch.width * hatch.height).toBeGreaterThan(0);
    await page.locator('#PRES-IDLE-AUTO figure.timeline').screenshot({ path: path.join(SCREENSHOTS, 'timeline-fixture.png') });
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
