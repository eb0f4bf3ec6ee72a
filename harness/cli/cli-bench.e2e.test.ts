import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../bench/model.js';
import { processesOwnedBy } from '../targets/managed-process.js';
import { lastLine, runCli } from '../testing/run-cli.js';

// The smallest bench against the embedded Synapse: the engine end to end
// (registration, rooms, long-polls, changes, /proc), bench.json's shape,
// nothing left running.
describe('presence-conformance bench', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('measures deliveries, leaks and the server\'s cost of a small step, writes bench.json and leaves no server behind', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pc-bench-'));
    dirs.push(dir);
    const run = await runCli(['bench', '--users', '4', '--step-seconds', '10', '--presence-per-minute', '30', '--seed', '1', '--skip-baseline', '--report-dir', dir]);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(await readFile(path.join(dir, 'bench.json'), 'utf8')) as BenchResults;
    expect(results.params).toMatchObject({ users: [4], seed: 1, stepSeconds: 10 });
    const [target] = results.targets;
    expect(target).toMatchObject({ target: 'synapse', server: expect.stringMatching(/^Synapse /) });
    const [step] = target!.steps;
    // Positive controls: changes were delivered to roommates, and there were pairs a leak would have shown between.
    expect(step!.presenceChanges).toBeGreaterThan(0);
    expect(step!.latency.count).toBeGreaterThan(0);
    expect(step!.unsharedPairs).toBeGreaterThan(0);
    expect(step).toMatchObject({ users: 4, leakCount: 0, missing: 0 });
    expect(step!.serverCpuSeconds).toBeGreaterThan(0);
    expect(step!.serverPeakRssMiB).toBeGreaterThan(20);
    expect(run.stdout).toMatch(/\| synapse \| 4 /);
    expect(processesOwnedBy(path.join(dir, 'synapse'))).toEqual([]);
  });

  it('refuses bad flags with one line and exit 2, starting nothing', async () => {
    const run = await runCli(['bench', '--users', '50,10']);
    expect(run.code).toBe(2);
    expect(lastLine(run.stderr)).toMatch(/--users needs an ascending series/);
  });
});
