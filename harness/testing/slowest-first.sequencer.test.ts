import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestSpecification, Vitest } from 'vitest/node';
import { afterAll, describe, expect, it } from 'vitest';
import SlowestFirst, { RECORDED_COSTS } from './slowest-first.sequencer.js';
import type { FileCost } from './test-costs.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A sequencer over `root` with an empty results cache: what a fresh clone gives vitest. */
function sequencer(root: string): SlowestFirst {
  const cache = { getFileTestResults: () => undefined, getFileStats: () => undefined };
  return new SlowestFirst({ config: { root }, cache } as unknown as Vitest);
}

const spec = (root: string, project: 'unit' | 'e2e', file: string) =>
  ({ project: { name: project, config: { isolate: true, sequence: { groupOrder: project === 'unit' ? 0 : 1 } } }, moduleId: path.join(root, file) }) as unknown as TestSpecification;

const cost = (file: string, wallSec: number): FileCost => ({ file, startedAt: '2026-12-05T02:00:00.000Z', wallMs: wallSec * 1000, cpuMs: 0, childrenCpuMs: 0, tests: 1, load1: 0 });

describe('the e2e files\' start order', () => {
  it('starts unknown e2e files first, then the recorded ones longest first; unit files keep vitest\'s order, ahead', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'pc-sequencer-'));
    dirs.push(root);
    await mkdir(path.join(root, 'docs'));
    await writeFile(path.join(root, RECORDED_COSTS), [cost('short.e2e.test.ts', 10), cost('long.e2e.test.ts', 500), cost('mid.e2e.test.ts', 100)].map((c) => JSON.stringify(c)).join('\n'));
    const files = [spec(root, 'e2e', 'short.e2e.test.ts'), spec(root, 'e2e', 'mid.e2e.test.ts'), spec(root, 'unit', 'b.test.ts'), spec(root, 'e2e', 'new.e2e.test.ts'), spec(root, 'e2e', 'long.e2e.test.ts'), spec(root, 'unit', 'a.test.ts')];
    const order = (await sequencer(root).sort(files)).map((s) => `${s.project.name}:${path.relative(root, s.moduleId)}`);
    expect(order).toEqual(['unit:b.test.ts', 'unit:a.test.ts', 'e2e:new.e2e.test.ts', 'e2e:long.e2e.test.ts', 'e2e:mid.e2e.test.ts', 'e2e:short.e2e.test.ts']);
  });

  it('without a record, is vitest\'s own order', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'pc-sequencer-'));
    dirs.push(root);
    const files = [spec(root, 'e2e', 'short.e2e.test.ts'), spec(root, 'e2e', 'long.e2e.test.ts')];
    expect(await sequencer(root).sort(files)).toEqual(files);
  });
});
