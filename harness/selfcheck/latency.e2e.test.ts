import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScript } from '../testing/run-cli.js';
import type { SelfCheckReport } from './report.js';

const SCRIPT = fileURLToPath(new URL('./testing/run-latency.ts', import.meta.url));


// Verdicts must not depend on how far away the server is: every suite, run
// through a proxy that delays every response by 250 ± 250 ms, against the
// same embedded Synapse at the same time as a direct run. About one full run
// of wall time (the two share the server and the machine).
describe('the suites behind 250 ± 250 ms of latency', () => {
  it('give exactly the direct run\'s verdicts, and no requirement is error', { timeout: 600_000 }, async () => {
    const dir = path.resolve('reports/tmp/latency');

    const run = await runScript(SCRIPT, [dir]);

    const report = JSON.parse(readFileSync(path.join(dir, 'selfcheck.json'), 'utf8')) as SelfCheckReport;
    const latency = report.baseline.latency;
    expect(report.failure, run.stderr).toBeUndefined();
    expect(latency, run.stderr).toBeDefined();
    expect(latency!.proxiedRequests).toBeGreaterThan(1_000);
    expect(latency!.differences, run.stderr).toEqual([]);
    expect(latency!.errors, run.stderr).toEqual([]);
    expect(Object.values(report.baseline.direct)).not.toContain('error');
    expect(Object.keys(latency!.verdicts).sort()).toEqual(Object.keys(report.baseline.direct).sort());
    expect(run.code, run.stderr.split('\n').slice(-10).join('\n')).toBe(0);
  });
});
