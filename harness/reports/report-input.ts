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
  return gate.exitCode === 0 ? { text: 'passed', ok: true } : { text: `FAILED (exit ${gate.exitCode})`, ok: false };
}
