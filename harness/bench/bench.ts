import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPORT_FOLDER } from '../reports/report-folder.js';
import type { Results } from '../results/model.js';
import { runCli } from '../testing/run-cli.js';

/** Per-run figures: wall time of the whole CLI process, per-area wall time, HTTP exchanges. */
interface Sample {
  totalMs: number;
  areas: Record<string, number>;
  exchanges: number;
  verdicts: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Wall time of each area: from its first test's start to its last test's end (tests run concurrently). */
function areaWallTimes(results: Results): Record<string, number> {
  const spans: Record<string, [number, number]> = {};
  for (const r of results.requirements) {
    for (const t of r.tests) {
      if (!t.startedAt) continue;
      const start = Date.parse(t.startedAt);
      const span = spans[r.area] ?? [start, start];
      spans[r.area] = [Math.min(span[0], start), Math.max(span[1], start + t.durationMs)];
    }
  }
  return Object.fromEntries(Object.entries(spans).map(([area, [a, b]]) => [area, b - a]));
}

/**
 * `npm run bench:suite` (was `npm run bench` before issue 21): runs the full suite against the embedded Synapse several
 * times (warm cache) and prints median wall times per area and in total, the
 * number of HTTP exchanges, and whether the verdicts were identical.
 */
export async function bench(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '3' }, only: { type: 'string' } } });
  const runs = Number(values.runs);
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = path.resolve('reports/tmp', `bench-${i}`);
    const args = ['run', '--report-dir', dir, '--seed', String(1000 + i), ...(values.only ? ['--only', values.only] : [])];
    const run = await runCli(args);
    if (run.code !== 0 && run.code !== 1) {
      process.stderr.write(`bench: run ${i + 1} could not complete (exit ${run.code}):\n${run.stderr.split('\n').slice(-5).join('\n')}\n`);
      return 2;
    }
    const results = JSON.parse(await readFile(path.join(dir, REPORT_FOLDER.results), 'utf8')) as Results;
    const exchanges = results.requirements.flatMap((r) => r.tests).reduce((n, t) => n + (t.exchanges ?? 0), 0);
    const verdicts = results.requirements.map((r) => `${r.id}=${r.verdict}`).join(' ');
    samples.push({ totalMs: run.durationMs, areas: areaWallTimes(results), exchanges, verdicts });
    process.stderr.write(`run ${i + 1}/${runs}: ${(run.durationMs / 1000).toFixed(1)} s, ${exchanges} exchanges\n`);
  }
  const areas = [...new Set(samples.flatMap((s) => Object.keys(s.areas)))].sort();
  const lines = ['| area | median wall time (s) |', '|---|---|'];
  for (const area of areas) lines.push(`| ${area} | ${(median(samples.map((s) => s.areas[area] ?? 0)) / 1000).toFixed(1)} |`);
  lines.push(`| **total, CLI start to exit (Synapse boot included)** | **${(median(samples.map((s) => s.totalMs)) / 1000).toFixed(1)}** |`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
  process.stdout.write(`runs: ${runs}; HTTP exchanges per run (median): ${median(samples.map((s) => s.exchanges))}; `);
  process.stdout.write(`verdicts identical across runs: ${new Set(samples.map((s) => s.verdicts)).size === 1 ? 'yes' : 'NO'}\n`);
  return 0;
}
