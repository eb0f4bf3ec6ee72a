import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../story/clock.js';
import type { Results } from '../results/model.js';
import { sweepOrphanedWorkDirs } from '../runner/start-target.js';
import { processesOwnedBy } from '../targets/managed-process.js';
import { runCli } from '../testing/run-cli.js';

const reportDir = (name: string) => path.resolve('reports/tmp', name);
const readResults = (dir: string): Results => JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;

/** Proves the run left no homeserver behind: none of the processes it tagged is alive. */
async function expectNoHomeserverLeft(dir: string): Promise<void> {
  // Give the kernel a moment to reap, but fail if anything tagged outlives 10 s.
  await eventually(async () => processesOwnedBy(dir), (pids) => pids.length === 0, { deadline: Date.now() + 10_000, what: `no process tagged ${dir}`, intervalMs: 200 });
}

describe('presence-conformance run against the embedded Synapse', () => {
  it('writes verdicts for the free_for_chat requirements, exits 0, and stops Synapse', { timeout: 180_000 }, async () => {
    const dir = reportDir('e2e-normal');
    const run = await runCli(['run', '--only', 'PRES-FFC', '--seed', '11', '--report-dir', dir]);

    expect(run.code, run.stderr).toBe(0);
    const results = readResults(dir);
    expect(results).toMatchObject({ seed: 11, target: { kind: 'synapse', serverVersion: 'Synapse 1.163.2' } });
    expect(results.requirements.map((r) => r.id)).toEqual(['PRES-FFC-PUT', 'PRES-FFC-ERRCODE', 'PRES-FFC-SYNC', 'PRES-FFC-SYNC-ERRCODE', 'PRES-FFC-EMIT']);
    for (const r of results.requirements) expect(['pass', 'fail'], r.id).toContain(r.verdict);
    expect(existsSync(path.join(dir, 'homeserver.log'))).toBe(true);
    // The console shows the suite's own progress, not vitest's summary (that is --verbose's).
    expect(run.stderr).toContain('[synapse] 5/5 requirements judged');
    expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/Test Files|^\s*Tests\s|Start at|Duration/m);
    await expectNoHomeserverLeft(dir);
  });

  it('exits 1 when a gating requirement fails (SHOULD gates with --fail-on should), and stops Synapse', { timeout: 180_000 }, async () => {
    const dir = reportDir('e2e-failed');
    const run = await runCli(['run', '--only', 'PRES-FFC-ERRCODE', '--fail-on', 'should', '--report-dir', dir]);

    const results = readResults(dir);
    const verdict = results.requirements[0]?.verdict;
    // The exit code follows the verdict, whichever it is.
    expect(run.code, run.stderr).toBe(verdict === 'fail' ? 1 : 0);
    expect(verdict).toBe('fail');
    expect(run.stderr).toContain('gating failures: PRES-FFC-ERRCODE');
    await expectNoHomeserverLeft(dir);
  });

  it('on Ctrl-C stops Synapse, exits 130 and leaves a partial report', { timeout: 180_000 }, async () => {
    const dir = reportDir('e2e-sigint');
    let sent = false;
    let sentAt = 0;
    const run = await runCli(['run', '--report-dir', dir], {
      onStderr: (text, pid) => {
        // Interrupt once the suites are running against a live server.
        if (!sent && /\[synapse\] Synapse ready/.test(text) && /target Synapse/.test(text)) {
          sent = true;
          setTimeout(() => {
            sentAt = Date.now();
            process.kill(pid, 'SIGINT');
          }, 1_500);
        }
      },
    });

    expect(sent).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    // Prompt: no waiting for in-flight timer tests (they take 40 s and more).
    expect(Date.now() - sentAt).toBeLessThan(15_000);
    const results = readResults(dir);
    expect(results.interrupted).toBe('SIGINT');
    expect(results.requirements.length).toBeGreaterThan(30);
    await expectNoHomeserverLeft(dir);
  });

  it('takes Synapse down even when the CLI itself is killed with SIGKILL', { timeout: 180_000 }, async () => {
    const dir = reportDir('e2e-sigkill');
    let pidSeen = 0;
    const run = await runCli(['run', '--report-dir', dir], {
      onStderr: (text, pid) => {
        if (!pidSeen && /Synapse ready/.test(text)) {
          pidSeen = pid;
          expect(processesOwnedBy(dir).length).toBeGreaterThan(0);
          process.kill(pid, 'SIGKILL');
        }
      },
    });

    expect(run.signal).toBe('SIGKILL');
    await expectNoHomeserverLeft(dir);
    // The killed CLI could not remove the server's work folder (it holds the
    // shared secret); the next start sweeps it away.
    const ownerOf = (entry: string) => {
      try {
        return readFileSync(path.join(os.tmpdir(), entry, 'harness.pid'), 'utf8').trim();
      } catch {
        return '';
      }
    };
    const orphans = () => readdirSync(os.tmpdir()).filter((e) => e.startsWith('presence-conformance-synapse-') && ownerOf(e) === String(pidSeen));
    expect(orphans()).toHaveLength(1);
    await sweepOrphanedWorkDirs();
    expect(orphans()).toHaveLength(0);
  });
});
