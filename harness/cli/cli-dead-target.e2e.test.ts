import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../story/clock.js';
import { EXIT } from '../errors.js';
import type { Results } from '../results/model.js';
import { processesOwnedBy } from '../targets/managed-process.js';
import { startSynapse } from '../targets/synapse/start.js';
import { SYNAPSE_TIMINGS } from '../targets/synapse/timings.js';
import { killOwned } from '../testing/kill-owned.js';
import { lastLine, runCli, timingFlagsOf } from '../testing/run-cli.js';

const readResults = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as Results;

/** What every dead-target run must leave: exit 2, the cause as the last line, a partial report whose unfinished tests are errors with that cause. */
async function expectNamed(run: { code: number | null; stderr: string }, dir: string, line: RegExp): Promise<Results> {
  expect(run.code, run.stderr.slice(-3000)).toBe(EXIT.harness);
  expect(lastLine(run.stderr)).toMatch(line);
  // Said once: no per-requirement "could not be checked" list, no vitest error dump.
  expect(run.stderr).not.toContain('could not be checked:');
  expect(run.stderr).not.toContain('Failed Tests');
  const results = await readResults(dir);
  const cause = lastLine(run.stderr).replace(/^presence-conformance: /, '');
  expect(results.interrupted).toBe(cause);
  const errors = results.requirements.filter((r) => r.verdict === 'error');
  expect(errors.length).toBeGreaterThan(10);
  for (const r of errors) expect(r.tests.some((t) => t.message === `could not finish: ${cause}`), r.id).toBe(true);
  // Nothing that could only have been seen on a live server is turned into a fail by the loss.
  for (const r of results.requirements) expect(['pass', 'fail', 'error', 'skip']).toContain(r.verdict);
  return results;
}

describe('a target that goes away mid-run is named', () => {
  it('embedded Synapse killed with SIGKILL: one line naming it, exit 2, partial report, nothing left running', { timeout: 180_000 }, async () => {
    const dir = path.resolve('reports/tmp/e2e-dead-embedded');
    let killedAt = 0;
    const run = await runCli(['run', '--report-dir', dir], {
      onStderr: (text) => {
        if (killedAt || !/^target Synapse/m.test(text)) return;
        killedAt = -1;
        setTimeout(() => {
          expect(killOwned(dir)).toBeGreaterThan(0);
          killedAt = Date.now();
        }, 4_000);
      },
    });
    expect(killedAt).toBeGreaterThan(0);
    // Prompt: the exit is seen at once, no story runs to its deadline.
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    await expectNamed(run, dir, /^presence-conformance: Synapse 1\.163\.2 \(pid \d+\) exited \d+\.\d s into the run, killed by SIGKILL; last log line: .+/);
    await eventually(async () => processesOwnedBy(dir), (pids) => pids.length === 0, { deadline: Date.now() + 10_000, what: `no process tagged ${dir}`, intervalMs: 200 });
  });

  it('--repeat: the embedded Synapse killed during the first run is named the same way, exit 2, nothing left running', { timeout: 180_000 }, async () => {
    const dir = path.resolve('reports/tmp/e2e-dead-repeat');
    let killed = false;
    const run = await runCli(['run', '--repeat', '2', '--report-dir', dir], {
      onStderr: (text) => {
        if (killed || !/^\[run 1\] target Synapse/m.test(text)) return;
        killed = true;
        setTimeout(() => expect(killOwned(dir)).toBeGreaterThan(0), 4_000);
      },
    });
    expect(killed).toBe(true);
    expect(run.stderr).not.toContain('repeat: run 2 of 2');
    await expectNamed(run, dir, /^presence-conformance: Synapse 1\.163\.2 \(pid \d+\) exited \d+\.\d s into the run, killed by SIGKILL; last log line: .+/);
    await eventually(async () => processesOwnedBy(dir), (pids) => pids.length === 0, { deadline: Date.now() + 10_000, what: `no process tagged ${dir}`, intervalMs: 200 });
  });

  it('url target whose server goes away: one line naming it, exit 2, partial report', { timeout: 240_000 }, async () => {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'pc-dead-url-'));
    const server = await startSynapse({ workDir, logFile: path.join(workDir, 'homeserver.log'), owner: workDir, progress: () => undefined });
    try {
      if (server.registration.kind !== 'shared-secret') throw new Error('embedded Synapse uses shared-secret registration');
      const t = SYNAPSE_TIMINGS;
      const dir = path.resolve('reports/tmp/e2e-dead-url');
      let killed = false;
      const run = await runCli(
        ['run', '--target', 'url', '--base-url', server.baseUrl, '--report-dir', dir,
          ...timingFlagsOf(t)],
        {
          env: { PRESENCE_REGISTRATION_SECRET: server.registration.secret },
          onStderr: (text) => {
            if (killed || !/^target Synapse/m.test(text)) return;
            killed = true;
            setTimeout(() => expect(killOwned(workDir)).toBeGreaterThan(0), 4_000);
          },
        },
      );
      expect(killed).toBe(true);
      await expectNamed(run, dir, /^presence-conformance: Synapse 1\.163\.2 at http:\/\/127\.0\.0\.1:\d+ stopped answering \d+\.\d s into the run: \d+ probes of \/_matrix\/client\/versions in a row failed over \d+ s \(last: .*connection refused\)$/);
    } finally {
      await server.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
