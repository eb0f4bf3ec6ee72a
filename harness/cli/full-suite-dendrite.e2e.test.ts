import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dendriteSpec } from '../targets/dendrite/image.js';
import { gate, loadExpectations } from '../results/gate.js';
import type { Results } from '../results/model.js';
import { ensureImages, expectNoContainerLeft } from '../testing/docker.js';
import { runCli } from '../testing/run-cli.js';

const readResults = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Results;
const verdicts = (results: Results) => Object.fromEntries(results.requirements.map((r) => [r.id, r.verdict]));

// The whole conformance suite against the embedded Dendrite and against the
// image of it that `npm run images` builds, by one command (full-suite.e2e.test.ts
// is Synapse's twin; a file of its own, so that the two run side by side).
describe('the full suite against the embedded Dendrite and against its image', () => {
  beforeAll(ensureImages, 900_000);

  it('Dendrite, within the default wait budget: the same verdicts from its image, but for its intermittent failures', { timeout: 900_000 }, async () => {
    const dir = path.resolve('reports/tmp/e2e-full-dendrite');
    const run = await runCli(['run', '--target', 'dendrite,docker', '--image', dendriteSpec('').image, '--fail-on', 'should', '--report-dir', dir]);
    const embedded = await readResults(path.join(dir, 'dendrite', 'results.json'));
    const container = await readResults(path.join(dir, 'docker', 'results.json'));
    const expectations = await loadExpectations(path.resolve('reports/expectations/dendrite.json'));
    // A race of Dendrite's own (evidence in its expectations) may go either way in either run.
    const intermittent = expectations.expectedFailures.filter((e) => e.intermittent).map((e) => e.id);
    // A requirement the wait budget left unchecked in either run (`notChecked`:
    // slow, on a loaded machine where set-up ate the budget) has no verdict
    // there to compare: seen at load 54, three requirements slow-skipped in one.
    const unchecked = new Set([...embedded.requirements, ...container.requirements].filter((r) => r.notChecked).map((r) => r.id));
    const steady = (results: Results) => Object.fromEntries(Object.entries(verdicts(results)).filter(([id]) => !intermittent.includes(id) && !unchecked.has(id)));

    // What CI's own budgeted Dendrite run (`--expect reports/expectations/dendrite.json`,
    // MUSTs gate) checked, once a second run of this same selection: the embedded
    // Dendrite fails only what its expectations list, and no gating requirement is error.
    const withExpectations = gate(embedded.requirements, { failOn: 'must', expectations });
    expect(withExpectations, JSON.stringify(withExpectations)).toMatchObject({ exitCode: 0, regressions: [], errors: [] });
    expect(container.target).toMatchObject({ kind: 'docker', serverVersion: embedded.target.serverVersion });
    expect(steady(container)).toEqual(steady(embedded));
    expect(run.code, run.stderr.split('\n').slice(-15).join('\n')).toBe(1);
    await expectNoContainerLeft(path.join(dir, 'docker'));
  });
});
