import { describe, expect, it } from 'vitest';
import type { BenchBaseline } from '../model.js';
import { fixtureBench } from './fixture.js';
import { renderBenchHtml } from './render.js';

const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

describe('bench.html', () => {
  it('has the eight plots, each with one line per server (and the harness dashed on the CPU plot)', () => {
    const html = renderBenchHtml(fixtureBench());
    const charts = html.split('<svg class="chart"').slice(1);
    expect(charts).toHaveLength(8);
    for (const chart of charts) {
      const servers = [...chart.matchAll(/<g class="series" data-series="([^"]+)">/g)].map((m) => m[1]);
      expect(servers.filter((s) => !s!.endsWith('(harness)'))).toEqual(['synapse', 'dendrite', 'tuwunel']);
    }
    expect(count(charts[3]!, /data-series="[^"]+ \(harness\)"/g)).toBe(3);
  });

  it('shows the baseline on the latency plots and in words, and the harness\'s CPU share per server', () => {
    const html = renderBenchHtml(fixtureBench());
    expect(html).toContain('the harness alone (loopback echo server): 3 ms');
    expect(html).toContain('the harness alone (loopback echo server): 17 ms');
    expect(html).toMatch(/id="baseline">.*p50 3 ms, p95 9 ms, p99 17 ms/);
    // tuwunel's harness share reaches 75%: a warning, not a good banner.
    expect(html).toMatch(/<div class="banner warn" id="harness-share">.*tuwunel: at most 75% of the server&#39;s CPU/);
    expect(html).toContain('With 3 servers benched side by side, the harness&#39;s CPU of a step is the whole process&#39;s');
  });

  it('draws latencies of ten seconds and more in seconds, each dot\'s value still exact', () => {
    const results = fixtureBench();
    results.targets[0]!.steps[3]!.latency.p99 = 25_400;
    results.baseline!.latency.p99 = 40;
    const charts = renderBenchHtml(results).split('<svg class="chart"');
    expect(charts[1]).toContain('>milliseconds</text>');
    expect(charts[3]).toContain('>seconds</text>');
    expect(charts[3]).toContain('synapse, 200 users: 25.4 s');
    // The baseline in the same unit: 40 ms is 0.04 s, on the axis's floor, not 40 s above the top.
    const ticks = [...charts[3]!.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => Number(m[1]));
    expect(Math.max(...ticks)).toBe(30);
  });

  it('without a baseline says the figures include the harness, and draws no reference line', () => {
    const html = renderBenchHtml({ ...fixtureBench(), baseline: null as unknown as BenchBaseline });
    expect(html).toContain('No loopback baseline was measured');
    expect(html).not.toContain('class="reference"');
  });

  it('warns when the machine was busier than its CPUs', () => {
    expect(renderBenchHtml(fixtureBench())).not.toContain('id="load"');
    const busy = fixtureBench();
    busy.machine.loadAverage = 12.5;
    expect(renderBenchHtml(busy)).toContain('load average 12.5 on 2 CPUs');
  });

  it('describes the machine and the parameters, and tables every step', () => {
    const html = renderBenchHtml(fixtureBench());
    for (const text of ['AMD EPYC 7B13 × 2', '7.8 GiB', 'v20.19.0', '10, 50, 100, 200', '2:0.5,5:0.3,20:0.2', '200000 requests, 1200 s', 'Synapse 1.163.2', '<dt>servers benched side by side</dt><dd>3</dd>']) expect(html).toContain(text);
    expect(count(html, /<tr data-target=/g)).toBe(12);
    expect(html).toContain('stopped early: the bench&#39;s bound was reached');
  });

  it('reports a leak with its evidence, escaped, and loads nothing from anywhere', () => {
    const html = renderBenchHtml(fixtureBench());
    expect(html).toMatch(/<div class="banner bad leaks" data-target="dendrite"><strong>dendrite: 1 leak<\/strong>/);
    expect(html).toContain('PRES-VIS-SHARED at 200 users: @bench-b7:localhost saw @bench-b150:localhost');
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).toMatch(/Content-Security-Policy" content="default-src &#39;none&#39;/);
    expect(html).not.toMatch(/\b(src|href)="https?:/);
  });

  it('a step the bench never reached draws no point, and a server that stopped says why', () => {
    const results = fixtureBench();
    const tuwunel = results.targets[2]!;
    tuwunel.steps[3] = { ...tuwunel.steps[3]!, durationMs: 0, error: 'not run: the bench\'s time bound (--max-seconds) was reached' };
    tuwunel.error = 'the server <b>went away</b>';
    const html = renderBenchHtml(results);
    const p50 = html.split('<svg class="chart"')[1]!;
    const tuwunelDots = p50.split('data-series="tuwunel"')[1]!.split('</g>')[0]!;
    expect(count(tuwunelDots, /<circle/g)).toBe(3);
    expect(html).toContain('<strong>tuwunel</strong> stopped: the server &lt;b&gt;went away&lt;/b&gt;');
  });
});
