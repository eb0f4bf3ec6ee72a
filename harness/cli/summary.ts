import path from 'node:path';
import type { RunOutcome } from '../runner/run.js';

const MARK = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERR ' } as const;

/** The console verdict table and gate outcome printed at the end of a run. */
export function printSummary(outcome: RunOutcome, log: (line: string) => void): void {
  const { results, gate } = outcome;
  log('');
  log(`${results.target.serverVersion} at ${results.target.baseUrl}: ${(results.durationMs / 1000).toFixed(1)} s, seed ${results.seed}`);
  for (const r of results.requirements) {
    const reason = r.verdict === 'pass' ? '' : `  ${r.tests.find((t) => t.verdict === r.verdict)?.message?.split('\n')[0]?.slice(0, 140) ?? ''}`;
    log(`  ${MARK[r.verdict]} ${r.level.padEnd(6)} ${r.id}${reason}`);
  }
  const counts = results.requirements.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.verdict]: (acc[r.verdict] ?? 0) + 1 }), {});
  log(`requirements: ${['pass', 'fail', 'error', 'skip'].map((v) => `${counts[v] ?? 0} ${v}`).join(', ')}`);
  if (gate.regressions.length) log(`gating failures: ${gate.regressions.join(', ')}`);
  if (gate.unexpectedPasses.length) log(`unexpected pass (expected to fail, now passes; prune the expectations file): ${gate.unexpectedPasses.join(', ')}`);
  if (gate.errors.length) log(`could not be checked: ${gate.errors.join(', ')}`);
  if (results.interrupted) log(`partial results: ${results.interrupted}`);
  log(`results: ${path.relative(process.cwd(), outcome.resultsPath) || outcome.resultsPath}`);
}
