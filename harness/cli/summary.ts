import path from 'node:path';
import { oneLine } from '../reports/escape.js';
import { countVerdicts, gateHeadline, notCheckedNote, reasonOf, VERDICTS } from '../reports/report-input.js';
import { REPORT_FILES } from '../reports/write-reports.js';
import type { RunOutcome } from '../runner/run.js';

const MARK = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERR ' } as const;

/**
 * The console verdict table and gate outcome printed at the end of a run.
 * The last line is the gate's headline, with the count of requirements the
 * wait budget left unchecked, so a log tail never reads greener than the run.
 */
export function printSummary(outcome: RunOutcome, log: (line: string) => void): void {
  const { results, gate } = outcome;
  log('');
  log(`${results.target.serverVersion} at ${results.target.baseUrl}: ${(results.durationMs / 1000).toFixed(1)} s, seed ${results.seed}`);
  // The run's cause of failure is printed once, as the last line.
  const cause = outcome.failure ? results.interrupted : undefined;
  for (const r of results.requirements) {
    const why = cause ? reasonOf(r)?.replace(cause, 'see the last line') : reasonOf(r);
    const reason = r.verdict === 'pass' ? '' : `  ${oneLine(why, 140)}`;
    log(`  ${r.notChecked ? 'SLOW' : MARK[r.verdict]} ${r.level.padEnd(6)} ${r.id}${reason}`);
  }
  const counts = countVerdicts(results.requirements);
  const slow = results.requirements.filter((r) => r.notChecked === 'slow').length;
  log(`requirements: ${VERDICTS.map((v) => `${counts[v]} ${v}`).join(', ')}${slow ? ` (${slow} of the skips not checked: slow)` : ''}`);
  if (gate.regressions.length) log(`gating failures: ${gate.regressions.join(', ')}`);
  if (gate.unexpectedPasses.length) log(`unexpected pass (expected to fail, now passes; prune the expectations file): ${gate.unexpectedPasses.join(', ')}`);
  // A run that failed (a dead target, say) ends with its one-line cause (the
  // CLI prints it last): not repeated here, nor one error per requirement.
  if (!outcome.failure) {
    if (gate.errors.length) log(`could not be checked: ${gate.errors.join(', ')}`);
    if (results.interrupted) log(`partial results: ${results.interrupted}`);
  }
  for (const d of results.diagnoses ?? []) log(`DIAGNOSIS: ${d.message}`);
  const dir = path.relative(process.cwd(), path.dirname(outcome.resultsPath)) || '.';
  log(`results: ${path.join(dir, 'results.json')}; reports: ${Object.values(REPORT_FILES).map((f) => path.join(dir, f)).join(', ')}`);
  const input = { results, gate };
  const unchecked = notCheckedNote(input);
  log(`gate: ${gateHeadline(input)?.text ?? 'not decided'}${unchecked ? `; ${unchecked}` : ''}`);
}
