import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../results/model.js';
import { processesOwnedBy } from '../targets/managed-process.js';
import { lastLine, runCli } from '../testing/run-cli.js';

const readResults = (dir: string): Results => JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;
/** The exit code a single run with --fail-on should gives for these results. */
const gateOf = (results: Results): number => (results.requirements.some((r) => r.verdict === 'fail') ? 1 : 0);

describe('presence-conformance run --target dendrite,synapse', () => {
  it('runs each server into its own folder, compares them beside, and exits with the worst gate', { timeout: 600_000 }, async () => {
    const root = path.resolve('reports/tmp/e2e-several');
    // /sync?set_presence=free_for_chat: Synapse refuses it with M_INVALID_PARAM,
    // Dendrite 0.13.8 answers 200 (PRES-FFC-SYNC-ERRCODE, a SHOULD). With
    // --fail-on should the first run exits 1 and the last 0: the whole must
    // take the worst, not the last.
    const run = await runCli(['run', '--target', 'dendrite,synapse', '--only', 'PRES-PUT-OTHER,PRES-FFC-SYNC-ERRCODE', '--fail-on', 'should', '--seed', '3', '--report-dir', root]);

    const dendrite = readResults(path.join(root, 'dendrite'));
    const synapse = readResults(path.join(root, 'synapse'));
    expect(dendrite.target).toMatchObject({ kind: 'dendrite', serverVersion: 'Dendrite 0.13.8' });
    expect(synapse.target).toMatchObject({ kind: 'synapse', serverVersion: 'Synapse 1.163.2' });
    expect([gateOf(dendrite), gateOf(synapse)], 'the two servers gate differently (what makes this test meaningful)').toEqual([1, 0]);
    expect(run.code, run.stderr).toBe(1);
    expect(lastLine(run.stderr)).toBe('exit codes: dendrite 1, synapse 0; exiting with the worst, 1');

    const markdown = readFileSync(path.join(root, 'compare.md'), 'utf8');
    for (const text of ['Synapse 1.163.2', 'Dendrite 0.13.8', 'PRES-PUT-OTHER', 'PRES-FFC-SYNC-ERRCODE']) expect(markdown).toContain(text);
    expect(existsSync(path.join(root, 'compare.html'))).toBe(true);
    for (const kind of ['synapse', 'dendrite']) expect(processesOwnedBy(path.join(root, kind))).toEqual([]);
  });
});
