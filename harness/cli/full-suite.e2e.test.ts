import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REQUIREMENTS } from '../catalogue.js';
import { synapseSpec } from '../targets/synapse/image.js';
import { NOT_COVERED } from '../results/aggregate.js';
import { loadExpectations } from '../results/gate.js';
import type { Results } from '../results/model.js';
import { ensureImages, expectNoContainerLeft } from '../testing/docker.js';
import { runCli } from '../testing/run-cli.js';
import { errorsByCause } from '../testing/explained-errors.js';
import { watchConnections } from '../testing/loopback-watch.js';
import { processesOwnedBy } from '../targets/managed-process.js';
import { eventually } from '../story/clock.js';

const readResults = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Results;
const verdicts = (results: Results) => Object.fromEntries(results.requirements.map((r) => [r.id, r.verdict]));

/** Every story starts at once (one worker, all tests concurrent), so a run lasts its longest story: none waited for another. */
function expectStoriesStartedTogether(results: Results): void {
  const starts = results.requirements.flatMap((r) => r.tests.flatMap((t) => (t.startedAt ? [Date.parse(t.startedAt)] : [])));
  expect(starts.length).toBeGreaterThan(50);
  expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(5_000);
}

// The whole conformance suite against the embedded Synapse and against the
// image of it that `npm run images` builds, by one command
// (`--target synapse,docker,synapse+synapse`; Dendrite's twin of this file is
// full-suite-dendrite.e2e.test.ts, a file of its own so that the two run
// side by side): the container must get
// the verdicts the embedded server gets, the embedded Synapse must fail
// exactly what its committed expectations list (so any change in its verdicts
// fails npm test), and two Synapses federating must give the federation
// requirements a verdict, talking to 127.0.0.1 only.
describe('the full suite against the embedded Synapse and against its image', () => {
  beforeAll(ensureImages, 900_000);

  it('Synapse: a verdict for every covered requirement, exactly the expected failures, the same verdicts from its image, and as a federating pair on 127.0.0.1 only', { timeout: 1_200_000 }, async () => {
    const dir = path.resolve('reports/tmp/e2e-full');
    const pairDir = path.join(dir, 'synapse+synapse');
    // The pair's servers are tagged with its report folder: watch their connections while they run.
    let watch: ReturnType<typeof watchConnections> | undefined;
    const run = await runCli(['run', '--target', 'synapse,docker,synapse+synapse', '--image', synapseSpec().image, '--fail-on', 'should', '--report-dir', dir], {
      onStderr: (text) => {
        if (!watch && /\[synapse\+synapse\] federation proxy/.test(text)) watch = watchConnections(pairDir);
      },
    });
    const connections = watch?.stop();
    const embedded = await readResults(path.join(dir, 'synapse', 'results.json'));
    const container = await readResults(path.join(dir, 'docker', 'results.json'));
    const pair = await readResults(path.join(pairDir, 'results.json'));
    const expectations = await loadExpectations(path.resolve('reports/expectations/synapse.json'));
    const federation = new Set<string>(REQUIREMENTS.filter((r) => r.area === 'federation').map((r) => r.id));
    // Failures of the server as the receiver of a peer's EDUs (suites/federation/inbound.test.ts): on the pair only.
    const pairOnly = new Set(expectations.expectedFailures.filter((e) => e.pairOnly).map((e) => e.id));
    const local = (results: Results) => Object.fromEntries(Object.entries(verdicts(results)).filter(([id]) => !federation.has(id) && !pairOnly.has(id)));

    // The federation stories need two servers: skipped on one, given a verdict on the pair.
    // Besides pass and fail: a MAY not offered, a tentative proposal the server
    // does not offer (not applicable, named), and an error another failure of the run explains.
    const checked = (results: Results, ids: string[]) => {
      const byId = Object.fromEntries(results.requirements.map((r) => [r.id, r]));
      const { explained } = errorsByCause(results);
      for (const id of ids) {
        const r = byId[id];
        expect(r, id).toBeDefined();
        const notApplicable = r?.area === 'tentative' && r.tests.every((t) => t.verdict === 'skip' && /^not applicable/.test(t.message ?? ''));
        const allowed = ['pass', 'fail', ...(r?.level === 'MAY' || notApplicable ? ['skip'] : []), ...(explained.includes(id) ? ['error'] : [])];
        expect(allowed, `${id}: ${JSON.stringify(r?.tests.map((t) => t.message))}`).toContain(r?.verdict);
      }
    };
    const covered = REQUIREMENTS.filter((r) => !NOT_COVERED[r.id]).map((r) => r.id);
    checked(embedded, covered.filter((id) => !federation.has(id)));
    checked(pair, covered);
    const failing = (results: Results) => results.requirements.filter((r) => r.verdict === 'fail').map((r) => r.id).sort();
    // Without a pair the federation stories are skipped, so their known failures do not show.
    expect(failing(embedded)).toEqual(expectations.expectedFailures.filter((e) => !federation.has(e.id) && !e.pairOnly).map((e) => e.id).sort());
    expect(failing(pair)).toEqual(expectations.expectedFailures.map((e) => e.id).sort());

    expect(container.target).toMatchObject({ kind: 'docker', serverVersion: embedded.target.serverVersion });
    expect(verdicts(container)).toEqual(verdicts(embedded));
    expect(local(pair)).toEqual(local(embedded));
    expect(pair.target.peer).toMatchObject({ kind: 'synapse', serverVersion: 'Synapse 1.163.2', serverName: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });

    // Nothing but 127.0.0.1: the watch saw the servers' connections, all of them on loopback.
    expect(connections?.loopback, 'the watch saw the pair\'s connections').toBeGreaterThan(0);
    expect(connections?.elsewhere).toEqual([]);

    // Every gate fails on Synapse's known failures (no --expect here).
    expect(run.code, run.stderr.split('\n').slice(-15).join('\n')).toBe(1);
    expectStoriesStartedTogether(embedded);
    expectStoriesStartedTogether(container);
    await expectNoContainerLeft(path.join(dir, 'docker'));
    await eventually(async () => processesOwnedBy(pairDir), (pids) => pids.length === 0, { deadline: Date.now() + 10_000, what: 'no process of the pair left' });
  });
});
