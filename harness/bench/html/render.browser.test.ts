/**
 * bench.html in a real browser (Chromium, as harness/reports/html.browser.test.ts
 * finds it): rendered from the fixture bench.json (3 servers × 4 steps), it
 * loads without errors or network, and its plots are there, laid out at
 * their size, each with one drawn line per server.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, openOffline } from '../../reports/offline-browser.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureBench } from './fixture.js';
import { CHART_HEIGHT, CHART_WIDTH } from './line-chart.js';
import { renderBenchHtml } from './render.js';
import { screenshotPage } from './screenshot.js';

const PROJECT_ROOT = new URL('../../../', import.meta.url).pathname;
const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-output');

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium('the bench.html browser test');
  dir = await mkdtemp(path.join(os.tmpdir(), 'pc-bench-browser-'));
  await mkdir(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface DrawnChart {
  id: string;
  width: number;
  height: number;
  /** Per server: the line's drawn length in px and its colour. */
  lines: Array<{ series: string; length: number; stroke: string; dashed: boolean }>;
  ticks: number;
}

describe('bench.html in Chromium', () => {
  test('shows the eight plots at their size, one drawn line per server, no errors, no network', async () => {
    const file = path.join(dir, 'bench.html');
    await writeFile(file, renderBenchHtml(fixtureBench()));
    const { page, problems, requests } = await openOffline(browser, file, { viewport: { width: 1300, height: 900 } });

    const charts: DrawnChart[] = await page.$$eval('svg.chart', (svgs) => svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      return {
        id: svg.id,
        width: box.width,
        height: box.height,
        lines: [...svg.querySelectorAll('g.series')].map((g) => {
          const line = g.querySelector('path.line') as SVGPathElement;
          return { series: g.getAttribute('data-series') ?? '', length: line.getTotalLength(), stroke: getComputedStyle(line).stroke, dashed: getComputedStyle(line).strokeDasharray !== 'none' };
        }),
        ticks: svg.querySelectorAll('text.tick').length,
      };
    }));
    expect(charts.map((c) => c.id)).toEqual(['chart-latency-p50', 'chart-latency-p95', 'chart-latency-p99', 'chart-cpu', 'chart-rss', 'chart-missing', 'chart-late', 'chart-leaks']);
    for (const chart of charts) {
      // Laid out at the declared size (the grid's columns are wide enough), with axes ticked.
      expect(chart.width, chart.id).toBeCloseTo(CHART_WIDTH, 0);
      expect(chart.height, chart.id).toBeCloseTo(CHART_HEIGHT, 0);
      expect(chart.ticks, chart.id).toBeGreaterThanOrEqual(4 + 2);
      const solid = chart.lines.filter((l) => !l.dashed);
      expect(solid.map((l) => l.series), chart.id).toEqual(['synapse', 'dendrite', 'tuwunel']);
      // Each server's line is drawn (four steps apart: far longer than a dot) in a colour of its own.
      for (const l of solid) expect(l.length, `${chart.id} ${l.series}`).toBeGreaterThan(100);
      expect(new Set(solid.map((l) => l.stroke)).size, chart.id).toBe(3);
    }
    expect(charts.find((c) => c.id === 'chart-cpu')!.lines.filter((l) => l.dashed)).toHaveLength(3);
    // The legend names each server in its line's colour.
    const legend = await page.$$eval('#legend li[data-series] line', (lines) => lines.map((l) => getComputedStyle(l).stroke));
    expect(legend).toEqual(charts[0]!.lines.map((l) => l.stroke));
    expect(await page.$$eval('#figures tbody tr', (rows) => rows.length)).toBe(12);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'bench-fixture.png'), fullPage: true });
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  });

  test('the screenshot script writes a PNG of the plots', async () => {
    const file = path.join(dir, 'shot.html');
    const png = path.join(dir, 'bench.png');
    await writeFile(file, renderBenchHtml(fixtureBench()));
    await screenshotPage(file, png);
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(png);
    expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
    // Width and height from the IHDR chunk: the plots section, two columns of plots at least.
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(2 * CHART_WIDTH);
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(4 * CHART_HEIGHT);
  }, 60_000);
});
