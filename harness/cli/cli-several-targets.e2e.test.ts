import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../errors.js';
import type { Results } from '../results/model.js';
import { processesOwnedBy } from '../targets/managed-process.js';
import { lastLine, runCli } from '../testing/run-cli.js';

const readResults = (dir: string): Results => JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;
/** The exit code a single run with --fail-on should gives for these results. */
const gateOf = (results: Results): number => (results.requirements.some((r) => r.verdict === 'fail') ? 1 : 0);
/** When a run was under way, from its results.json. */
const windowOf = (results: Results): { from: number; to: number } => {
  const from = Date.parse(results.startedAt);
  return { from, to: from + results.durationMs };
};
const overlap = (a: Results, b: Results): boolean => {
  const [x, y] = [windowOf(a), windowOf(b)];
  return Math.max(x.from, y.from) < Math.min(x.to, y.to);
};

describe('presence-conformance run --target dendrite,synapse', () => {
  it('runs the servers side by side, each into its own folder, compares them beside, and exits with the worst gate', { timeout: 600_000 }, async () => {
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
    // Side by side: the two runs were under way at the same time, and each line says whose it is.
    expect(overlap(dendrite, synapse), JSON.stringify([windowOf(dendrite), windowOf(synapse)])).toBe(true);
    expect(run.stderr).toMatch(/^2 targets, 2 at once /m);
    for (const kind of ['synapse', 'dendrite']) expect(run.stderr).toMatch(new RegExp(`^\\[${kind}\\] gate: `, 'm'));

    const markdown = readFileSync(path.join(root, 'compare.md'), 'utf8');
    for (const text of ['Synapse 1.163.2', 'Dendrite 0.13.8', 'PRES-PUT-OTHER', 'PRES-FFC-SYNC-ERRCODE']) expect(markdown).toContain(text);
    expect(existsSync(path.join(root, 'compare.html'))).toBe(true);
    for (const kind of ['synapse', 'dendrite']) expect(processesOwnedBy(path.join(root, kind))).toEqual([]);
  });

  it('with --one-at-a-time, starts a target only once the one before has ended', { timeout: 300_000 }, async () => {
    const root = path.resolve('reports/tmp/e2e-several-in-turn');
    // A url target where nothing listens ends within a second (exit 2, partial
    // report); side by side, Dendrite's run would start while it is under way.
    const run = await runCli(['run', '--target', 'url,dendrite', '--base-url', 'http://127.0.0.1:9', '--open-registration', '--only', 'PRES-PUT-OTHER', '--one-at-a-time', '--report-dir', root]);
    const url = readResults(path.join(root, 'url'));
    const dendrite = readResults(path.join(root, 'dendrite'));
    expect(run.code, run.stderr).toBe(EXIT.harness);
    expect(lastLine(run.stderr)).toBe('exit codes: url 2, dendrite 0; exiting with the worst, 2');
    expect(url.interrupted).toBeDefined();
    expect(dendrite.requirements.map((r) => r.verdict)).toEqual(['pass']);
    expect(windowOf(dendrite).from, JSON.stringify([windowOf(url), windowOf(dendrite)])).toBeGreaterThanOrEqual(windowOf(url).to);
    expect(run.stderr).not.toMatch(/at once/);
    expect(processesOwnedBy(path.join(root, 'dendrite'))).toEqual([]);
  });
});
