import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Expectations } from '../results/gate.js';
import { runCli } from '../testing/run-cli.js';

// Gating on a server's known failures: the committed Synapse list passes,
// and dropping an entry turns that known failure back into a gating one.
describe('presence-conformance run --expect', () => {
  it('exits 0 with Synapse expectations, and 1 naming the requirement whose entry was removed', { timeout: 180_000 }, async () => {
    const full = path.resolve('reports/expectations/synapse.json');
    const expectations = JSON.parse(await readFile(full, 'utf8')) as Expectations;
    const pruned = path.join(await mkdtemp(path.join(os.tmpdir(), 'pc-expect-')), 'synapse-minus-one.json');
    await writeFile(pruned, JSON.stringify({ ...expectations, expectedFailures: expectations.expectedFailures.filter((e) => e.id !== 'PRES-FFC-ERRCODE') }));
    const args = ['run', '--only', 'PRES-FFC', '--fail-on', 'should', '--seed', '5'];

    const [withList, withoutEntry] = await Promise.all([
      runCli([...args, '--expect', full, '--report-dir', path.resolve('reports/tmp/e2e-expect-full')]),
      runCli([...args, '--expect', pruned, '--report-dir', path.resolve('reports/tmp/e2e-expect-pruned')]),
    ]);

    expect(withList.code, withList.stderr).toBe(0);
    expect(withoutEntry.code, withoutEntry.stderr).toBe(1);
    expect(withoutEntry.stderr).toContain('gating failures: PRES-FFC-ERRCODE');
  });
});
