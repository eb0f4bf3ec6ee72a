import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eventually } from '../story/clock.js';
import { processesOwnedBy } from '../targets/managed-process.js';
import { lastLine, runCli, runScript } from '../testing/run-cli.js';
import { killOwned } from '../testing/kill-owned.js';
import type { SelfCheckReport } from './report.js';
import { REPORT_FOLDER } from '../reports/report-folder.js';
import type { Results } from '../results/model.js';

const WEAKENED_SCRIPT = fileURLToPath(new URL('./testing/run-weakened.ts', import.meta.url));
const reportDir = (name: string) => path.resolve('reports/tmp', name);
const readReport = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'selfcheck.json'), 'utf8')) as SelfCheckReport;

async function expectNothingLeft(dir: string): Promise<void> {
  await eventually(async () => processesOwnedBy(dir), (pids) => pids.length === 0, { deadline: Date.now() + 10_000, what: `no process tagged ${dir}`, intervalMs: 200 });
}


describe('the self-check against the embedded Synapse', () => {
  it('reports a mutant no test can see as SURVIVING, and the real one as caught', { timeout: 240_000 }, async () => {
    const dir = reportDir('selfcheck-weakened');

    const run = await runScript(WEAKENED_SCRIPT, [dir, 'PRES-FFC-PUT']);

    const report = readReport(dir);
    expect(report.baseline.proxyFaithful, run.stderr).toBe(true);
    expect(report.baseline.direct['PRES-FFC-PUT']).toBe('pass');
    const byName = Object.fromEntries(report.mutants.map((m) => [m.name, m]));
    expect(byName['ffc-put-accepted']).toMatchObject({ status: 'caught', caughtBy: [{ id: 'PRES-FFC-PUT', before: 'pass', after: 'fail' }] });
    expect(byName['ffc-put-accepted-weakened']).toMatchObject({ status: 'survived', caughtBy: [], injected: {} });
    // The weakened mutant saw the same traffic; it just never applied.
    expect(byName['ffc-put-accepted-weakened']!.requests).toBeGreaterThan(0);
    expect(run.code, run.stderr).toBe(1);
    await expectNothingLeft(dir);
  });

  it('through the CLI: caught and masked mutants exit 0, with selfcheck.json and selfcheck.md, no secrets, nothing left running', { timeout: 240_000 }, async () => {
    const dir = reportDir('selfcheck-cli');

    const run = await runCli(['selfcheck', '--only', 'PRES-FFC', '--only-mutant', 'ffc-put-server-error,ffc-wrong-errcode', '--seed', '3', '--report-dir', dir]);

    const report = readReport(dir);
    expect(report.mutants.map((m) => [m.name, m.status])).toEqual([
      ['ffc-put-server-error', 'caught'],
      // Synapse already answers M_UNKNOWN, so PRES-FFC-ERRCODE fails without the mutant too.
      ['ffc-wrong-errcode', report.baseline.noMutant['PRES-FFC-ERRCODE'] === 'fail' ? 'masked' : 'caught'],
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'selfcheck.md'), 'utf8')).toContain('| ffc-put-server-error | caught |');
    const everything = readFileSync(path.join(dir, 'selfcheck.json'), 'utf8') + readFileSync(path.join(dir, 'runs', 'no-mutant', 'results.json'), 'utf8');
    expect(everything).not.toMatch(/syt_[A-Za-z0-9_]+/);
    // A mutant's run folder holds what a reader of its failures needs: results.json and the failures' evidence, no reports.
    const mutantDir = path.join(dir, 'runs', 'mutant-ffc-put-server-error');
    const files = readdirSync(mutantDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json') || f.endsWith('.xml') || f.endsWith('.md') || f.endsWith('.html')).sort();
    const results = JSON.parse(readFileSync(path.join(mutantDir, REPORT_FOLDER.results), 'utf8')) as Results;
    const failed = results.requirements.flatMap((r) => r.tests).filter((t) => t.verdict === 'fail' || t.verdict === 'error');
    expect(failed.length).toBeGreaterThan(0);
    expect(files).toEqual([...new Set(failed.map((t) => t.evidence!)), REPORT_FOLDER.results].sort());
    await expectNothingLeft(dir);
  });

  it('the presence-disabled stage boots a second Synapse with presence off, diagnoses it, judges it, and leaves nothing running', { timeout: 300_000 }, async () => {
    const dir = reportDir('selfcheck-presence-disabled');

    const run = await runCli(['selfcheck', '--only', 'PRES-VIS-NONSHARED,PRES-PUT-ROUNDTRIP', '--only-mutant', 'synapse-presence-disabled', '--seed', '5', '--report-dir', dir]);

    const report = readReport(dir);
    expect(report.mutants.map((m) => m.name)).toEqual(['synapse-presence-disabled']);
    const stage = report.mutants[0]!;
    expect(stage.diagnosis?.found, run.stderr).toMatch(/^presence looks disabled on this server: PUT online answered 200/);
    const results = JSON.parse(readFileSync(path.join(dir, stage.reportDir!, 'results.json'), 'utf8'));
    expect(results.target.serverVersion).toMatch(/\(presence disabled\)$/);
    expect(results.diagnoses).toEqual([{ code: 'presence-disabled', message: stage.diagnosis!.found }]);
    // A PUT that GET does not reflect: what the stage's violates list names.
    expect(stage.caughtBy.map((c) => c.id)).toContain('PRES-PUT-ROUNDTRIP');
    // Whatever the suites do about the non-sharer stories, the exit code follows the precision column.
    expect(run.code, run.stderr).toBe(stage.falseBlames?.length ? 1 : 0);
    expect(run.stderr).toContain('DIAGNOSIS: presence looks disabled');
    await expectNothingLeft(dir);
    await expectNothingLeft(path.join(dir, stage.reportDir!));
  });

  it('on Ctrl-C stops every run, proxy and Synapse, exits 130 and writes a partial report', { timeout: 240_000 }, async () => {
    const dir = reportDir('selfcheck-sigint');
    let sent = false;
    const run = await runCli(['selfcheck', '--only', 'PRES-PUT', '--only-mutant', 'put-other-user,put-drops-status-msg', '--report-dir', dir], {
      onStderr: (text, pid) => {
        // Interrupt once mutant runs are under way against their proxies.
        if (!sent && /\[mutant-put-[a-z-]+\] target Synapse/.test(text)) {
          sent = true;
          setTimeout(() => process.kill(pid, 'SIGINT'), 500);
        }
      },
    });

    expect(sent, run.stderr).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    expect(readReport(dir).interrupted).toBe('SIGINT');
    await expectNothingLeft(dir);
  });

  it('a Synapse killed under it ends the self-check with one line naming it, exit 2', { timeout: 240_000 }, async () => {
    const dir = reportDir('selfcheck-dead');
    let killed = false;
    const run = await runCli(['selfcheck', '--only', 'PRES-FFC,PRES-IDLE', '--only-mutant', 'ffc-put-server-error', '--report-dir', dir], {
      onStderr: (text) => {
        if (killed || !/\[direct\] target Synapse/.test(text)) return;
        killed = true;
        setTimeout(() => expect(killOwned(dir)).toBeGreaterThan(0), 3_000);
      },
    });

    expect(killed, run.stderr).toBe(true);
    expect(run.code, run.stderr).toBe(2);
    const line = /^presence-conformance: self-check failed: (Synapse 1\.163\.2 \(pid \d+\) exited \d+\.\d s into the self-check, killed by SIGKILL; last log line: .+)$/;
    expect(lastLine(run.stderr)).toMatch(line);
    const report = readReport(dir);
    expect(report.failure).toBe(line.exec(lastLine(run.stderr))?.[1]);
    expect(report.interrupted).toBeUndefined();
    expect(report.baseline.proxyFaithful).toBe(false);
    await expectNothingLeft(dir);
  });
});
