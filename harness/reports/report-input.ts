import { REQUIREMENTS, type Area, type Requirement } from '../catalogue.js';
import type { Expectations, GateOutcome } from '../results/gate.js';
import type { RequirementResult, Results, Verdict } from '../results/model.js';

/** What every report writer renders: one run's results and, when known, how the gate judged them. */
export interface ReportInput {
  /** The run's results, already redacted. */
  results: Results;
  /** The gate's decision on this run (regressions, unexpected passes, errors). */
  gate?: GateOutcome;
  /** The `--expect` file of the run, if one was given. */
  expectations?: Expectations;
}

/** Verdicts in the order reports list them. */
export const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'error', 'skip'];

/** How Markdown reports mark each verdict. */
export const VERDICT_ICON: Readonly<Record<Verdict, string>> = { pass: '✅', fail: '❌', error: '⚠️', skip: '⏭️' };

/** Areas in catalogue order. */
export const AREAS: readonly Area[] = [...new Set(REQUIREMENTS.map((r) => r.area))];

/** How many requirements got each verdict. */
export type VerdictCounts = Record<Verdict, number>;

/** Counts requirements (or tests) by verdict. */
export function countVerdicts(items: ReadonlyArray<{ verdict: Verdict }>): VerdictCounts {
  const counts: VerdictCounts = { pass: 0, fail: 0, error: 0, skip: 0 };
  for (const item of items) counts[item.verdict]++;
  return counts;
}

/** The results' requirements grouped by area, areas in catalogue order, empty areas left out. */
export function byArea(requirements: readonly RequirementResult[]): Array<{ area: string; requirements: RequirementResult[] }> {
  const known: string[] = [...AREAS];
  const areas = [...known, ...new Set(requirements.map((r) => r.area).filter((a) => !known.includes(a)))];
  return areas
    .map((area) => ({ area, requirements: requirements.filter((r) => r.area === area) }))
    .filter((group) => group.requirements.length > 0);
}

/** The catalogue entry (quote and spec link) of a result, if this suite version knows the ID. */
export function catalogueEntry(id: string): Requirement | undefined {
  return REQUIREMENTS.find((r) => r.id === id);
}

/** The one-line reason a requirement did not pass: the message of its first test with that verdict. */
export function reasonOf(requirement: RequirementResult): string | undefined {
  return requirement.tests.find((t) => t.verdict === requirement.verdict && t.message)?.message;
}

/** The reason an expectations file gives for a requirement's known failure. */
export function expectedReason(input: ReportInput, id: string): string | undefined {
  return input.expectations?.expectedFailures.find((e) => e.id === id)?.reason;
}

/**
 * The gate's headline. A run cut short never reads as passed: its CLI exit
 * code is that of the interruption or harness failure, whatever the partial
 * verdicts say.
 */
export function gateHeadline(input: ReportInput): { text: string; ok: boolean } | undefined {
  const { gate, results } = input;
  if (!gate) return undefined;
  if (results.interrupted) return { text: 'INCOMPLETE (the run was cut short)', ok: false };
  // A pass with requirements the budget left unchecked, or whose verdict changed between runs, says so in the headline itself.
  const unchecked = gate.notChecked.length ? `, ${requirementCount(results, gate.notChecked)} not checked (${notCheckedReasons(results, gate.notChecked).join(', ')})` : '';
  const flaky = gate.flaky?.length ? `, ${requirementCount(results, gate.flaky)} flaky` : '';
  return gate.exitCode === 0 ? { text: `passed${unchecked}${flaky}`, ok: true } : { text: `FAILED (exit ${gate.exitCode})${unchecked}${flaky}`, ok: false };
}

/**
 * What the wait budget left unchecked, as one sentence for every report and
 * the CLI's last line (IDs rendered by `show`), or undefined when it left
 * nothing: "2 MUST requirements not checked because they are slow (over
 * --max-wait 120 s; pass --slow): A, B; 1 more passed with slow tests skipped: C".
 */
export function notCheckedNote(input: ReportInput, show: (id: string) => string = (id) => id): string | undefined {
  const { gate, results } = input;
  if (!gate || (!gate.notChecked.length && !gate.partlyChecked.length)) return undefined;
  const budget = typeof results.maxWaitMs === 'number' ? `over --max-wait ${Math.round(results.maxWaitMs / 1000)} s; ` : '';
  const parts: string[] = [];
  const reasonOfId = (id: string) => results.requirements.find((r) => r.id === id)?.notChecked;
  const slow = gate.notChecked.filter((id) => reasonOfId(id) === 'slow');
  const limited = gate.notChecked.filter((id) => reasonOfId(id) === 'rate-limited');
  if (slow.length) {
    const verb = slow.length === 1 ? 'was' : 'were';
    parts.push(`${requirementCount(results, slow)} ${verb} not checked because they are slow (${budget}pass --slow): ${slow.map(show).join(', ')}`);
  }
  if (limited.length) {
    const verb = limited.length === 1 ? 'was' : 'were';
    const over = typeof results.maxWaitMs === 'number' ? ` (its wait over --max-wait ${Math.round(results.maxWaitMs / 1000)} s)` : '';
    parts.push(`${requirementCount(results, limited)} ${verb} not checked because the server rate-limited a step${over}: ${limited.map(show).join(', ')}`);
  }
  if (gate.partlyChecked.length) {
    const lead = gate.notChecked.length ? `${gate.partlyChecked.length} more` : requirementCount(results, gate.partlyChecked);
    const skipped = new Set(results.requirements.filter((r) => gate.partlyChecked.includes(r.id)).flatMap((r) => r.tests.map((t) => t.skipReason).filter(Boolean)));
    const what = skipped.has('rate-limited') ? (skipped.has('slow') ? 'slow or rate-limited' : 'rate-limited') : 'slow';
    parts.push(`${lead} passed with ${what} tests skipped${gate.notChecked.length || what !== 'slow' ? '' : ` (${budget}pass --slow)`}: ${gate.partlyChecked.map(show).join(', ')}`);
  }
  return parts.join('; ');
}

/** Why the given requirements were not checked, each reason once (`slow`, `rate-limited`). */
export function notCheckedReasons(results: Results, ids: readonly string[]): string[] {
  return [...new Set(results.requirements.filter((r) => ids.includes(r.id) && r.notChecked).map((r) => r.notChecked!))];
}

/** "2 MUST requirements", "1 MUST and 1 SHOULD requirement(s)": the IDs counted by level. */
export function requirementCount(results: Results, ids: readonly string[]): string {
  const levels = (['MUST', 'SHOULD', 'MAY'] as const)
    .map((level) => ({ level, n: results.requirements.filter((r) => r.level === level && ids.includes(r.id)).length }))
    .filter((x) => x.n > 0);
  const noun = ids.length === 1 ? 'requirement' : 'requirements';
  return `${levels.map((x) => `${x.n} ${x.level}`).join(' and ') || ids.length} ${noun}`;
}

/** The verdicts of a flaky entry's runs in run order, e.g. "fail, pass, pass". */
export function runVerdicts(runs: ReadonlyArray<{ verdict: Verdict }> | undefined): string {
  return (runs ?? []).map((r) => r.verdict).join(', ');
}

/**
 * The requirements whose verdict changed between the runs of `--repeat`, as
 * one sentence for every report and the CLI (IDs rendered by `show`), or
 * undefined when none did: "1 MUST requirement flaky over 5 runs (each keeps
 * its worst verdict): PRES-A (fail, pass, pass, pass, pass)".
 */
export function flakyNote(input: ReportInput, show: (id: string) => string = (id) => id): string | undefined {
  const flaky = input.results.requirements.filter((r) => r.flaky);
  if (!flaky.length) return undefined;
  const verb = flaky.length === 1 ? 'was' : 'were';
  return `${requirementCount(input.results, flaky.map((r) => r.id))} ${verb} flaky over ${input.results.repeat ?? '?'} runs (each keeps its worst verdict): ${flaky.map((r) => `${show(r.id)} (${runVerdicts(r.runs)})`).join(', ')}`;
}
