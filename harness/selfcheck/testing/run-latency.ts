/**
 * Test support: the suites against the embedded Synapse directly and, at the
 * same time, through a proxy adding 250 ± 250 ms to every response (the
 * self-check with no mutant and its latency run). Run as a child process by
 * latency.e2e.test.ts: `node --import tsx run-latency.ts <reportDir> [only] [delay,jitter]`.
 * Writes selfcheck.json and exits with the self-check's exit code.
 */
import path from 'node:path';
import { DEFAULT_LATENCY, parseLatency } from '../../cli/commands/selfcheck.js';
import { selfCheckExitCode, writeSelfCheck } from '../report.js';
import { SelfCheck } from '../self-check.js';

const [reportDir = 'reports/tmp/latency', only, latency] = process.argv.slice(2);
const check = new SelfCheck({
  target: 'synapse',
  ...(only && only !== 'all' ? { only } : {}),
  mutants: [],
  latency: latency ? parseLatency(latency) : DEFAULT_LATENCY,
  reportDir: path.resolve(reportDir),
  seed: 9,
  concurrency: 1,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.once('SIGTERM', () => void check.interrupt('SIGTERM'));
const report = await check.execute();
await writeSelfCheck(path.resolve(reportDir), report);
process.exitCode = selfCheckExitCode(report);
