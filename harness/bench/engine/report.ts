/**
 * What the bench leaves behind: bench.json (harness/bench/model.ts), the
 * console table, and bench.html when the page's renderer is there.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { redact } from '../../redact.js';
import type { BenchMachine, BenchResults } from '../model.js';
import { renderBenchHtml } from '../html/render.js';

export const BENCH_JSON = 'bench.json';
export const BENCH_HTML = 'bench.html';

export function machine(): BenchMachine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export async function writeBenchJson(dir: string, results: BenchResults): Promise<string> {
  const file = path.join(dir, BENCH_JSON);
  await writeFile(file, `${JSON.stringify(redact(results), null, 2)}\n`);
  return file;
}

/** Writes bench.html: the page with the plots (harness/bench/html/). */
export async function writeBenchHtml(dir: string, results: BenchResults): Promise<string> {
  const file = path.join(dir, BENCH_HTML);
  await writeFile(file, renderBenchHtml(redact(results)));
  return file;
}

const dash = (value: number | null | undefined) => (value === null || value === undefined ? '-' : String(value));

/** The console table: one row per target and step. */
export function benchTable(results: BenchResults): string {
  const header = ['target', 'users', 'rooms', 'changes', 'deliveries', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'missing', 'late', 'leaks', 'server CPU s', 'peak RSS MiB', 'harness CPU s', '429s', 'link EDU/s'];
  const rows: string[][] = [];
  for (const target of results.targets) {
    if (target.steps.length === 0) rows.push([target.target, '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', target.error ? `error: ${target.error}` : '-']);
    for (const s of target.steps) {
      rows.push([
        target.target, String(s.users), String(s.rooms), String(s.presenceChanges), String(s.latency.count),
        String(s.latency.p50), String(s.latency.p95), String(s.latency.p99), String(s.latency.max),
        String(s.missing), String(s.late), String(s.leakCount), dash(s.serverCpuSeconds), dash(s.serverPeakRssMiB), String(s.harnessCpuSeconds),
        String(s.rateLimited), s.link ? String(s.link.edusPerSecond) : '-',
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** One line on the harness's share: its CPU against the servers', over every measured step. */
export function harnessShare(results: BenchResults): string {
  const steps = results.targets.flatMap((t) => t.steps);
  const harness = steps.reduce((sum, s) => sum + s.harnessCpuSeconds, 0);
  const server = steps.reduce((sum, s) => sum + (s.serverCpuSeconds ?? 0), 0);
  const baseline = results.baseline ? `; loopback baseline p50 ${results.baseline.latency.p50} ms, p99 ${results.baseline.latency.p99} ms` : '; loopback baseline: not measured';
  // Side by side, each target's steps measured the whole process: the sum counts it again per target.
  const together = (results.params.targetsAtOnce ?? 1) > 1 && results.targets.length > 1;
  const share = server > 0 ? ` (${Math.round((100 * harness) / server)}%${together ? `; ${results.params.targetsAtOnce} targets side by side, each step's figure is the whole process's: an upper bound` : ''})` : '';
  return `harness CPU ${harness.toFixed(1)} s against the servers' ${server.toFixed(1)} s over the measured phases${share}${baseline}`;
}
