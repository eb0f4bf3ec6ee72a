import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, renderLineChart, xScaleFor, yTicksFor, type ChartSpec } from './line-chart.js';

const spec = (over: Partial<ChartSpec> = {}): ChartSpec => ({
  id: 'c',
  title: 'Latency <p50>',
  xLabel: 'users',
  yLabel: 'ms',
  series: [
    { name: 'synapse', colour: '#0072B2', points: [{ x: 10, y: 100 }, { x: 50, y: 200 }, { x: 100, y: null }, { x: 200, y: 400 }] },
    { name: 'dendrite', colour: '#D55E00', dashed: true, points: [{ x: 10, y: 10 }, { x: 200, y: 40 }] },
  ],
  ...over,
});

/** The `d` of each series' line, by series name. */
function paths(svg: string): Record<string, string> {
  return Object.fromEntries([...svg.matchAll(/<g class="series" data-series="([^"]+)">\n<path class="line" d="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

describe('the x axis', () => {
  it('is logarithmic once the steps span a decade, linear below', () => {
    const log = xScaleFor([10, 100, 1000]);
    expect(log(100) - log(10)).toBeCloseTo(log(1000) - log(100), 6);
    const linear = xScaleFor([10, 20, 30]);
    expect(linear(20) - linear(10)).toBeCloseTo(linear(30) - linear(20), 6);
    expect(xScaleFor([10, 50])(30) - xScaleFor([10, 50])(10)).toBeCloseTo((xScaleFor([10, 50])(50) - xScaleFor([10, 50])(10)) / 2, 6);
  });
});

describe('the y ticks', () => {
  it('start at zero and reach the largest value; counts get whole numbers only', () => {
    expect(yTicksFor([120, 610], false)).toEqual([0, 100, 200, 300, 400, 500, 600, 700]);
    expect(yTicksFor([0, 0], true)).toEqual([0, 1]);
    expect(yTicksFor([2], true)).toEqual([0, 1, 2]);
    expect(yTicksFor([14], true)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
  });
});

describe('a line chart', () => {
  it('is an SVG of the declared size with its title and axis labels escaped', () => {
    const svg = renderLineChart(spec());
    expect(svg).toContain(`viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" width="${CHART_WIDTH}" height="${CHART_HEIGHT}"`);
    expect(svg).toContain('Latency &lt;p50&gt;');
    expect(svg).not.toContain('<p50>');
    expect(svg).toContain('>users</text>');
  });

  it('draws one line per series, ascending with its values, broken where a step measured nothing', () => {
    const svg = renderLineChart(spec());
    const d = paths(svg);
    expect(Object.keys(d)).toEqual(['synapse', 'dendrite']);
    expect(d.synapse).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+M[\d.]+,[\d.]+$/);
    const ys = [...d.synapse!.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => Number(m[2]));
    // SVG y grows downwards: a larger value is higher up.
    expect(ys[0]).toBeGreaterThan(ys[1]!);
    expect(ys[1]).toBeGreaterThan(ys[2]!);
    expect(svg.match(/<circle class="point"/g)).toHaveLength(5);
    expect(svg).toContain('stroke="#D55E00" stroke-width="2" stroke-dasharray="6 4"');
  });

  it('puts every point inside the plot area and the largest value on or under the top tick', () => {
    const svg = renderLineChart(spec());
    for (const m of svg.matchAll(/cx="([\d.]+)" cy="([\d.]+)"/g)) {
      expect(Number(m[1])).toBeGreaterThan(0);
      expect(Number(m[1])).toBeLessThan(CHART_WIDTH);
      expect(Number(m[2])).toBeGreaterThan(0);
      expect(Number(m[2])).toBeLessThan(CHART_HEIGHT);
    }
    const ticks = [...svg.matchAll(/<text class="tick" x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]+)</g)].map((m) => Number(m[1]));
    expect(ticks).toEqual([0, 100, 200, 300, 400]);
    const xTicks = [...svg.matchAll(/<text class="tick" x="[\d.]+" y="[\d.]+" text-anchor="middle">([^<]+)</g)].map((m) => m[1]);
    expect(xTicks).toEqual(['10', '50', '100', '200']);
  });

  it('draws a reference line at its value, raising the axis to reach it', () => {
    const svg = renderLineChart(spec({ series: [spec().series[1]!], reference: { label: 'harness alone: 90 ms', value: 90 } }));
    expect(svg).toContain('harness alone: 90 ms');
    const ticks = [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => Number(m[1]));
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(90);
  });

  it('says so when no target gave the figure (a url target has no server CPU)', () => {
    const svg = renderLineChart(spec({ series: [{ name: 'url', colour: '#000', points: [{ x: 10, y: null }, { x: 50, y: null }] }] }));
    expect(svg).toContain('not measured for these targets');
    expect(renderLineChart(spec())).not.toContain('not measured');
  });

  it('says so when no step was measured', () => {
    expect(renderLineChart(spec({ series: [] }))).toContain('no step was measured');
  });
});
