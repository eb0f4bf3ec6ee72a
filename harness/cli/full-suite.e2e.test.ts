import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS } from '../catalogue.js';
import { NOT_COVERED } from '../results/aggregate.js';
import type { Expectations } from '../results/gate.js';
import type { Results } from '../results/model.js';
import { runCli } from '../testing/run-cli.js';

// The whole conformance suite against the embedded Synapse, gated on the
// committed expectations: any change in Synapse's verdicts (a new failure or
// a listed failure that now passes) fails npm test.
describe('the full suite against the embedded Synapse', () => {
  it('gives a verdict for every covered requirement, and fails exactly what reports/expectations/synapse.json lists', { timeout: 600_000 }, async () => {
    const dir = path.resolve('reports/tmp/e2e-full');
    const expectFile = path.resolve('reports/expectations/synapse.json');
    const run = await runCli(['run', '--report-dir', dir, '--expect', expectFile, '--strict-expect', '--fail-on', 'should']);

    const results = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as Results;
    const expectations = JSON.parse(await readFile(expectFile, 'utf8')) as Expectations;
    const byId = Object.fromEntries(results.requirements.map((r) => [r.id, r]));
    for (const { id } of REQUIREMENTS) {
      if (NOT_COVERED[id]) continue;
      const r = byId[id];
      expect(r, id).toBeDefined();
      expect(['pass', 'fail', ...(r?.level === 'MAY' ? ['skip'] : [])], `${id}: ${JSON.stringify(r?.tests.map((t) => t.message))}`).toContain(r?.verdict);
    }
    const failing = results.requirements.filter((r) => r.verdict === 'fail').map((r) => r.id).sort();
    expect(failing).toEqual(expectations.expectedFailures.map((e) => e.id).sort());
    expect(run.code, run.stderr.split('\n').slice(-15).join('\n')).toBe(0);
    // Every story starts at once (one worker, all tests concurrent), so a
    // run lasts its longest story: none waited for another to finish.
    const starts = results.requirements.flatMap((r) => r.tests.flatMap((t) => (t.startedAt ? [Date.parse(t.startedAt)] : [])));
    expect(starts.length).toBeGreaterThan(50);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(5_000);
  });
});
