import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_FILES, REPORT_FOLDER } from '../reports/report-folder.js';
import { resultsSchemaErrors } from '../reports/results-schema.js';
import type { EvidenceFile, Results } from '../results/model.js';
import { runCli } from '../testing/run-cli.js';

const reportDir = path.resolve('reports/tmp/e2e-repeat');
afterAll(() => rm(reportDir, { recursive: true, force: true }));

// --repeat against the embedded Synapse: one server, two runs with their own
// users, one report folder with each run's verdicts and evidence.
describe('presence-conformance run --repeat', () => {
  it('boots Synapse once, runs the selection twice with fresh users, and writes one folder with per-run verdicts and evidence', { timeout: 180_000 }, async () => {
    const run = await runCli(['run', '--repeat', '2', '--only', 'PRES-PUT-ROUNDTRIP', '--seed', '11', '--report-dir', reportDir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.match(/^repeat: run \d of 2$/gm)).toEqual(['repeat: run 1 of 2', 'repeat: run 2 of 2']);
    // One server for both runs: Synapse started once.
    expect(run.stderr.match(/^\[synapse\] .*(ready|listening|started)/gim)?.length ?? 0, run.stderr).toBe(1);

    const results = JSON.parse(await readFile(path.join(reportDir, REPORT_FOLDER.results), 'utf8')) as Results;
    expect(resultsSchemaErrors(results)).toEqual([]);
    expect(results.repeat).toBe(2);
    const [requirement] = results.requirements;
    expect(requirement).toMatchObject({ id: 'PRES-PUT-ROUNDTRIP', verdict: 'pass', runs: [{ run: 1, verdict: 'pass' }, { run: 2, verdict: 'pass' }] });
    for (const test of requirement!.tests) {
      expect(test.runs?.map((r) => r.run), test.name).toEqual([1, 2]);
      expect(test.flaky, test.name).toBeUndefined();
    }

    const names = (await readdir(path.join(reportDir, REPORT_FOLDER.evidence, 'PRES-PUT-ROUNDTRIP'))).sort();
    expect(names.filter((n) => n.endsWith('.run-1.json')).length).toBe(requirement!.tests.length);
    expect(names.filter((n) => n.endsWith('.run-2.json')).length).toBe(requirement!.tests.length);
    for (const file of Object.values(REPORT_FILES)) expect((await readFile(path.join(reportDir, file), 'utf8')).length, file).toBeGreaterThan(200);

    // Each run registered its own users.
    const users = async (run: number) => {
      const runs = requirement!.tests.map((t) => t.runs!.find((r) => r.run === run)!.evidence!);
      const files = await Promise.all(runs.map(async (f) => JSON.parse(await readFile(path.join(reportDir, f), 'utf8')) as EvidenceFile));
      return new Set(files.flatMap((e) => e.exchanges.map((x) => (x.responseBody as { user_id?: string } | undefined)?.user_id).filter(Boolean)));
    };
    const [first, second] = [await users(1), await users(2)];
    expect(first.size).toBeGreaterThan(0);
    expect([...first].filter((u) => second.has(u))).toEqual([]);
    expect(run.stderr).toMatch(/Synapse [\d.]+ at http:\/\/127\.0\.0\.1:\d+: [\d.]+ s, seed 11, 2 runs \(--repeat\)/);
  });
});
