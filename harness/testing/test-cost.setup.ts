import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { TEST_COSTS_ENV, type FileCost } from './test-costs.js';

/**
 * Set-up file of the e2e project: with env PRESENCE_TEST_COSTS naming a
 * folder, each e2e file appends what it cost (wall time, its worker's CPU,
 * and the CPU of every child it reaped: the CLI runs and, through them, the
 * homeservers they booted) to costs.jsonl there, for docs/test-costs.md
 * (`npm run test-costs`). Without it, nothing happens. Containers' CPU is
 * the Docker engine's, not ours: not counted.
 */
const dir = process.env[TEST_COSTS_ENV];

/** utime, stime, cutime, cstime of this process, in ms (/proc/self/stat, after the command's closing parenthesis). */
function cpuNow(tickMs: number): { self: number; children: number } {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // Fields 14-17 of proc(5), counted from 3 (state) here.
  const [utime, stime, cutime, cstime] = fields.slice(11, 15) as [number, number, number, number];
  return { self: (utime + stime) * tickMs, children: (cutime + cstime) * tickMs };
}

if (dir) {
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const tickMs = 1000 / hz;
  let started = 0;
  let before = { self: 0, children: 0 };
  beforeAll(() => {
    started = Date.now();
    before = cpuNow(tickMs);
  });
  // The first parameter must be a destructuring pattern (vitest reads it for fixtures); the file is the second.
  afterAll(({}, suite) => {
    const after = cpuNow(tickMs);
    const file = 'file' in suite ? suite.file.filepath : '';
    const tests = suite.tasks.length === 0 ? 0 : countTests(suite.tasks);
    const cost: FileCost = {
      file: path.relative(process.cwd(), file),
      startedAt: new Date(started).toISOString(),
      wallMs: Date.now() - started,
      cpuMs: Math.round(after.self - before.self),
      childrenCpuMs: Math.round(after.children - before.children),
      tests,
      load1: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    };
    mkdirSync(dir, { recursive: true });
    appendFileSync(path.join(dir, 'costs.jsonl'), `${JSON.stringify(cost)}\n`);
  });
}

function countTests(tasks: ReadonlyArray<{ type: string; tasks?: ReadonlyArray<unknown> }>): number {
  return tasks.reduce((n, t) => n + (t.type === 'suite' ? countTests((t.tasks ?? []) as ReadonlyArray<{ type: string; tasks?: ReadonlyArray<unknown> }>) : 1), 0);
}
