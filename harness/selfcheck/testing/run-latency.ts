/**
 * Test support: the suites against the embedded Synapse directly and, at the
 * same time, through a proxy adding 250 ± 250 ms to every response (the
 * self-check with no mutant and its latency run). Run as a child process by
 * latency.e2e.test.ts: `node --import tsx run-latency.ts <reportDir> [only] [delay,jitter]`.
 * Writes selfcheck.json and exits with the self-check's exit code.
 */
import { DEFAULT_LATENCY, parseLatency } from '../latency.js';
import { driveSelfCheck } from './drive-self-check.js';

const [reportDir = 'reports/tmp/latency', only, latency] = process.argv.slice(2);
await driveSelfCheck(reportDir, {
  ...(only && only !== 'all' ? { only } : {}),
  mutants: [],
  latency: latency ? parseLatency(latency) : DEFAULT_LATENCY,
  seed: 9,
  concurrency: 1,
});
