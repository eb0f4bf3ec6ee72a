/**
 * Test support: a self-check against the embedded Synapse with two mutants,
 * the real `ffc-put-accepted` and the same bug restricted to user IDs no test
 * ever registers (`@nobody-…`), so no test can see it. Run as a child process
 * by self-check.e2e.test.ts: `node --import tsx run-weakened.ts <reportDir> <only>`.
 * Writes selfcheck.json and exits with the self-check's exit code.
 */
import { restrictToUsers } from '../mutant.js';
import { ffcPutAccepted } from '../mutants/free-for-chat.js';
import { driveSelfCheck } from './drive-self-check.js';

/** The weakened mutant: the real bug, but only for users that do not exist. */
export const WEAKENED = restrictToUsers(ffcPutAccepted, /^@nobody-never-registered-/, 'ffc-put-accepted-weakened');

const [reportDir = 'reports/tmp/selfcheck-weakened', only = 'PRES-FFC-PUT'] = process.argv.slice(2);
await driveSelfCheck(reportDir, {
  only,
  mutants: [ffcPutAccepted, WEAKENED],
  seed: 5,
  concurrency: 2,
});
