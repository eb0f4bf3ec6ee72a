import path from 'node:path';
import { oneLine } from '../reports/escape.js';
import { countVerdicts, flakyNote, gateHeadline, notCheckedNote, notCheckedReasons, reasonOf, runVerdicts, VERDICTS } from '../reports/report-input.js';
import { REPORT_FILES, REPORT_FOLDER } from '../reports/report-folder.js';
import type { RequirementResult } from '../results/model.js';
import type { RunOutcome } from '../runner/run.js';
import { usersLine, usersToTell } from '../reports/users-line.js';
import { proposalLabel, splitTentative, taggedId, TENTATIVE_NOTE, tentativeCountsLine } from '../reports/tentative.js';
import { kindsDiffer, kindsLine } from '../reports/client-kinds.js';
import { groupOf, rootCauseGroups, shortIds } from '../reports/root-causes.js';

const MARK = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERR ' } as const;
const NOT_CHECKED_MARK = { slow: 'SLOW', 'rate-limited': 'RATE' } as const;

/**
 * The console verdict table and gate outcome printed at the end of a run.
 * The last line is the gate's headline, with the count of requirements the
 * wait budget left unchecked, so a log tail never reads greener than the run.
 */
export function printSummary(outcome: Pick<RunOutcome, 'results' | 'gate' | 'resultsPath' | 'failure'>, log: (line: string) => void): void {
  const { results, gate } = outcome;
  log('');
  log(`${results.target.serverVersion} at ${results.target.baseUrl}: ${(results.durationMs / 1000).toFixed(1)} s, seed ${results.seed}${results.repeat ? `, ${results.repeat} runs (--repeat)` : ''}`);
  const { peer } = results.target;
  if (peer) log(`federating with ${peer.serverVersion} at ${peer.baseUrl} (server name ${peer.serverName}; users whose IDs end in it lived there)`);
  for (const assumption of results.target.assumptions ?? []) log(`assumed: ${assumption}`);
  // The run's cause of failure is printed once, as the last line.
  const cause = outcome.failure ? results.interrupted : undefined;
  const causes = cause ? [] : sharedCauses(results.requirements);
  // Failures that rest on one cause (harness/reports/root-causes.ts) are numbered after the causes of error.
  const groups = rootCauseGroups(results.requirements);
  const { stable, tentative } = splitTentative(results.requirements);
  const line = (r: RequirementResult) => {
    const shared = r.verdict === 'error' || r.notChecked === 'rate-limited' ? causes.find((c) => c.requirements.includes(r.id)) : undefined;
    const grouped = groupOf(groups, r.id);
    const pointer = shared ? causes.indexOf(shared) + 1 : grouped ? causes.length + grouped.n : undefined;
    const why = cause ? reasonOf(r)?.replace(cause, 'see the last line') : reasonOf(r);
    const reason = r.verdict === 'pass' ? '' : `  ${pointer ? `cause ${pointer} (below)` : oneLine(why, 140)}`;
    const flaky = r.flaky ? ` FLAKY (${runVerdicts(r.runs)})` : '';
    const proposal = proposalLabel(r);
    log(`  ${r.notChecked ? NOT_CHECKED_MARK[r.notChecked] : MARK[r.verdict]} ${r.level.padEnd(6)} ${r.id}${proposal ? ` ${proposal}` : ''}${flaky}${reason}`);
    // Which client path fails, when the kinds a story ran with disagree.
    if (kindsDiffer(r)) log(`              by client kind: ${kindsLine(r)}`);
  };
  stable.forEach(line);
  if (tentative.length) log(`tentative requirements: ${TENTATIVE_NOTE}`);
  tentative.forEach(line);
  for (const [i, c] of causes.entries()) {
    log(`cause ${i + 1}, ${c.tests} tests of ${c.requirements.length} requirements could not be checked: ${oneLine(c.message, 300)}`);
  }
  for (const [i, g] of groups.entries()) {
    log(`cause ${causes.length + i + 1}, shared by ${g.requirements.length} failing requirements (each keeps its verdict): ${g.text}: ${shortIds(g.requirements)}`);
  }
  // The headline counts are the stable catalogue's; the tentative area has its own line.
  const counts = countVerdicts(stable);
  const notChecked = stable.filter((r) => r.notChecked).map((r) => r.id);
  const why = notCheckedReasons(results, notChecked).join(', ');
  log(`requirements: ${VERDICTS.map((v) => `${counts[v]} ${v}`).join(', ')}${notChecked.length ? ` (${notChecked.length} of the skips not checked: ${why})` : ''}`);
  if (tentative.length) log(tentativeCountsLine(tentative, gate));
  if (gate.regressions.length) log(`gating failures: ${gate.regressions.join(', ')}`);
  if (gate.unexpectedPasses.length) log(`unexpected pass (expected to fail, now passes; prune the expectations file): ${gate.unexpectedPasses.map((id) => taggedId(id)).join(', ')}`);
  // A run that failed (a dead target, say) ends with its one-line cause (the
  // CLI prints it last): not repeated here, nor one error per requirement.
  if (!outcome.failure) {
    if (gate.errors.length) log(`could not be checked: ${gate.errors.join(', ')}`);
    if (results.interrupted) log(`partial results: ${results.interrupted}`);
  }
  const flaky = flakyNote({ results, gate });
  if (flaky) log(`flaky: ${flaky}`);
  for (const d of results.diagnoses ?? []) log(`DIAGNOSIS: ${d.message}`);
  if (usersToTell(results.users)) log(`users: ${usersLine(results.users)}`);
  if (outcome.resultsPath) {
    const dir = path.relative(process.cwd(), path.dirname(outcome.resultsPath)) || '.';
    log(`results: ${path.join(dir, REPORT_FOLDER.results)}; reports: ${Object.values(REPORT_FILES).map((f) => path.join(dir, f)).join(', ')}`);
  }
  const input = { results, gate };
  const unchecked = notCheckedNote(input);
  log(`gate: ${gateHeadline(input)?.text ?? 'not decided'}${unchecked ? `; ${unchecked}` : ''}`);
}

/** One cause of `error` that several tests share. */
export interface SharedCause {
  /** The first test's message (the others differ at most in numbers: durations, sequence numbers). */
  message: string;
  /** How many tests ended with it. */
  tests: number;
  /** Requirements whose verdict it decided (their first error message is this cause). */
  requirements: string[];
}

/**
 * Causes of `error` (or of a rate-limited skip: the same limit met by many stories) shared by several tests, so a run against a struggling
 * server names each cause once rather than once per requirement. Messages
 * count as the same cause when they differ only in numbers ("failed after
 * 15306 ms" and "failed after 15287 ms"). Each test keeps its own message in
 * results.json and the reports.
 */
export function sharedCauses(requirements: readonly RequirementResult[]): SharedCause[] {
  const byKey = new Map<string, SharedCause>();
  for (const r of requirements) {
    const decisive = r.verdict === 'error' || r.notChecked === 'rate-limited' ? reasonOf(r) : undefined;
    for (const t of r.tests) {
      if ((t.verdict !== 'error' && t.skipReason !== 'rate-limited') || !t.message) continue;
      const key = causeKey(t.message);
      const cause = byKey.get(key) ?? { message: t.message, tests: 0, requirements: [] };
      byKey.set(key, cause);
      cause.tests++;
      if (decisive !== undefined && causeKey(decisive) === key && !cause.requirements.includes(r.id)) cause.requirements.push(r.id);
    }
  }
  return [...byKey.values()].filter((c) => c.requirements.length > 1);
}

function causeKey(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/\d+/g, 'N');
}
