/**
 * The page's plots, read off bench.json: each a figure against the number of
 * users, one line per server in the server's colour. The harness's baseline
 * is drawn on the latency plots, its CPU dashed beside each server's.
 */
import type { BenchResults, BenchStep, BenchTarget } from '../model.js';
import { measured, ms, num } from './figures.js';
import type { ChartSeries, ChartSpec } from './line-chart.js';
import { seriesColour } from './palette.js';

type Figure = (step: BenchStep) => number | null;

function series(target: BenchTarget, index: number, figure: Figure, dashed = false): ChartSeries {
  return {
    name: dashed ? `${target.target} (harness)` : target.target,
    colour: seriesColour(index),
    dashed,
    points: target.steps.map((step: BenchStep) => ({ x: step.users, y: measured(step) ? figure(step) : null })),
  };
}

const latency = (pick: 'p50' | 'p95' | 'p99', divisor: number): Figure => (s) => (s.latency.count > 0 ? s.latency[pick] / divisor : null);

/** Latencies of ten seconds and more read better in seconds than as "30k" milliseconds. */
export const SECONDS_FROM_MS = 10_000;

export function benchCharts(results: BenchResults): ChartSpec[] {
  const perServer = (figure: Figure) => results.targets.map((t, i) => series(t, i, figure));
  const base = results.baseline ?? null;
  const latencyChart = (pick: 'p50' | 'p95' | 'p99'): ChartSpec => {
    const largest = Math.max(0, base?.latency[pick] ?? 0, ...results.targets.flatMap((t) => t.steps.filter(measured).map((s) => (s.latency.count > 0 ? s.latency[pick] : 0))));
    const divisor = largest >= SECONDS_FROM_MS ? 1000 : 1;
    return {
      id: `chart-latency-${pick}`,
      title: `Delivery latency of a presence change, ${pick}`,
      xLabel: 'users',
      yLabel: divisor === 1 ? 'milliseconds' : 'seconds',
      series: perServer(latency(pick, divisor)),
      format: (v) => ms(v * divisor),
      ...(base ? { reference: { label: `the harness alone (loopback echo server): ${ms(base.latency[pick])}`, value: base.latency[pick] / divisor } } : {}),
    };
  };
  const count = (id: string, title: string, figure: Figure): ChartSpec => ({ id, title, xLabel: 'users', yLabel: 'deliveries', series: perServer(figure), integer: true });
  return [
    latencyChart('p50'),
    latencyChart('p95'),
    latencyChart('p99'),
    {
      id: 'chart-cpu',
      title: 'CPU seconds per step (dashed: the harness)',
      xLabel: 'users',
      yLabel: 'CPU seconds',
      series: results.targets.flatMap((t, i) => [series(t, i, (s) => s.serverCpuSeconds), series(t, i, (s) => s.harnessCpuSeconds, true)]),
      format: (v) => `${num(v)} s`,
    },
    { id: 'chart-rss', title: 'Server peak RSS', xLabel: 'users', yLabel: 'MiB', series: perServer((s) => s.serverPeakRssMiB), format: (v) => `${num(v, 0)} MiB` },
    count('chart-missing', 'Deliveries missing', (s) => s.missing),
    count('chart-late', 'Deliveries late (past the deadline)', (s) => s.late),
    { ...count('chart-leaks', 'Leaks: presence shown to non-sharers', (step) => step.leakCount), yLabel: 'leaks' },
  ];
}
