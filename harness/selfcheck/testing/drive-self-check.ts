import path from 'node:path';
import { selfCheckExitCode, writeSelfCheck } from '../report.js';
import { SelfCheck, type SelfCheckOptions } from '../self-check.js';

/**
 * Test support: the body of a self-check driver script run as a child process
 * by an e2e test. Runs the self-check against the embedded Synapse, logs to
 * stderr, stops it on SIGTERM, writes selfcheck.json into `reportDir` and
 * sets the process's exit code to the self-check's.
 */
export async function driveSelfCheck(reportDir: string, options: Omit<SelfCheckOptions, 'target' | 'reportDir' | 'log'>): Promise<void> {
  const dir = path.resolve(reportDir);
  const check = new SelfCheck({ target: 'synapse', reportDir: dir, log: (line) => process.stderr.write(`${line}\n`), ...options });
  process.once('SIGTERM', () => void check.interrupt('SIGTERM'));
  const report = await check.execute();
  await writeSelfCheck(dir, report);
  process.exitCode = selfCheckExitCode(report);
}
