import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_BENCH, fixtureBench } from './fixture.js';
import { benchPage } from './page-command.js';
import { benchShapeProblem } from './read-bench.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'pc-bench-page-')); });
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('bench.json read back', () => {
  it('accepts the fixture and names the first thing wrong with anything else', () => {
    expect(benchShapeProblem(fixtureBench())).toBeUndefined();
    expect(benchShapeProblem([])).toBe('not a JSON object');
    expect(benchShapeProblem({ ...fixtureBench(), schemaVersion: 2 })).toBe('schemaVersion 2 is not 1');
    const noLatency = fixtureBench() as unknown as { targets: Array<{ steps: Array<Record<string, unknown>> }> };
    delete noLatency.targets[1]!.steps[2]!.latency;
    expect(benchShapeProblem(noLatency)).toBe('targets[1].steps[2] has no "users", "latency" or "leaks"');
  });
});

describe('bench-page', () => {
  it('writes bench.html beside the bench.json by default', async () => {
    const input = path.join(dir, 'bench.json');
    await writeFile(input, await readFile(FIXTURE_BENCH));
    const lines: string[] = [];
    expect(await benchPage([input], (l) => lines.push(l))).toBe(0);
    expect(await readFile(path.join(dir, 'bench.html'), 'utf8')).toContain('<svg class="chart"');
    expect(lines).toEqual([`wrote ${path.join(dir, 'bench.html')}`]);
  });

  it('bad input: one line saying what is wrong, exit code 2, nothing written', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /^usage: bench-page BENCH_JSON/],
      [[path.join(dir, 'missing.json')], /^cannot read .*missing\.json: ENOENT$/],
      [['--colour', 'x'], /^bench-page: Unknown option '--colour'/],
    ];
    await writeFile(path.join(dir, 'not.json'), '{');
    cases.push([[path.join(dir, 'not.json')], /not\.json is not JSON$/]);
    await writeFile(path.join(dir, 'other.json'), '{"schemaVersion":1,"machine":{},"params":{}}');
    cases.push([[path.join(dir, 'other.json')], /other\.json is not a bench\.json: "targets" is not a list$/]);
    for (const [args, message] of cases) {
      const lines: string[] = [];
      expect(await benchPage(args, (l) => lines.push(l)), args.join(' ')).toBe(2);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
    await expect(readFile(path.join(dir, 'bench.html'))).rejects.toThrow();
  });
});
