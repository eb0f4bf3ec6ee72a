/**
 * Test support: a self-check against the embedded Synapse with two mutants,
 * the real `ffc-put-accepted` and the same bug restricted to user IDs no test
 * ever registers (`@nobody-…`), so no test can see it. Run as a child process
 * by self-check.e2e.test.ts: `node --import tsx run-weakened.ts <reportDir> <only>`.
 * Writes selfcheck.json and exits with the self-check's exit code.
 */
import path from 'node:path';
import { restrictToUsers } from '../mutant.js';
import { ffcPutAccepted } from '../mutants/free-for-chat.js';
import { selfCheckExitCode, writeSelfCheck } from '../report.js';
import { SelfCheck } from '../self-check.js';

/** The weakened mutant: the real bug, but only for users that do not exist. */
export const WEAKENED = restrictToUsers(ffcPutAccepted, /^@nobody-never-registered-/, 'ffc-put-accepted-weakened');

const [reportDir = 'reports/tmp/selfcheck-weakened', only = 'PRES-FFC-PUT'] = process.argv.slice(2);
const check = new SelfCheck({
  target: 'synapse',
  only,
  mutants: [ffcPutAccepted, WEAKENED],
  reportDir: path.resolve(reportDir),
  seed: 5,
  concurrency: 2,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.once('SIGTERM', () => void check.interrupt('SIGTERM'));
const report = await check.execute();
await writeSelfCheck(path.resolve(reportDir), report);
process.exitCode = selfCheckExitCode(report);
