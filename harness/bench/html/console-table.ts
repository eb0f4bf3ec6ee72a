/**
 * The bench's figures for the console: the baseline and the harness's CPU
 * share first (issue 21.4 asks them printed), then one aligned table per
 * server. Plain text, no colour: it ends up in CI logs.
 */
import type { BenchResults } from '../model.js';
import { harnessShare, leakCount, measured, ms, num, percent, worstHarnessShare } from './figures.js';

const HEAD = ['users', 'p50', 'p95', 'p99', 'max', 'missing', 'late', 'leaks', 'server CPU s', 'peak RSS MiB', 'harness CPU s', 'harness/server'];

function aligned(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padStart(widths[i]!) : c.padStart(widths[i]! + 2))).join('').trimEnd());
}

/** The baseline's line: what the harness alone adds. */
export function baselineLine(results: BenchResults): string {
  const b = results.baseline ?? null;
  if (!b) return 'baseline: not measured (the latencies below include the harness\'s own, of unknown size)';
  const at = b.users !== undefined ? `, ${b.users} users` : '';
  return `baseline (the harness alone, loopback echo server${at}): p50 ${ms(b.latency.p50)}, p95 ${ms(b.latency.p95)}, p99 ${ms(b.latency.p99)}, max ${ms(b.latency.max)}; harness CPU ${num(b.harnessCpuSeconds)} s`;
}

export function renderBenchTable(results: BenchResults): string {
  const out = [baselineLine(results)];
  for (const t of results.targets) {
    const share = worstHarnessShare(t);
    out.push('', `${t.target} (${t.server}): harness CPU ${share === null ? 'share unknown (no server CPU figure)' : `at most ${percent(share)} of the server's`}${t.error ? `; stopped: ${t.error}` : ''}`);
    const rows = [HEAD];
    for (const s of t.steps) {
      const lat = (v: number) => (measured(s) && s.latency.count > 0 ? ms(v) : '–');
      rows.push([
        String(s.users), lat(s.latency.p50), lat(s.latency.p95), lat(s.latency.p99), lat(s.latency.max),
        String(s.missing), String(s.late), String(leakCount(s)),
        num(s.serverCpuSeconds), num(s.serverPeakRssMiB, 0), num(s.harnessCpuSeconds), percent(harnessShare(s)),
      ]);
    }
    out.push(...aligned(rows).map((l) => `  ${l}`));
    for (const s of t.steps) if (s.error) out.push(`  ${s.users} users: ${s.error}`);
  }
  return `${out.join('\n')}\n`;
}
