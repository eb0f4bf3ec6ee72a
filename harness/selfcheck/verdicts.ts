import { REQUIREMENTS } from '../catalogue.js';
import type { RequirementResult, Verdict } from '../results/model.js';
import type { Mutant } from './mutant.js';

/** One requirement whose verdict differs between two runs. */
export interface VerdictChange {
  id: string;
  before: Verdict;
  after: Verdict;
}

/**
 * - `caught`: some requirement went to `fail` that did not fail without the
 *   mutant, or some test that passed without it fails with it (a test can
 *   notice a mutant inside a requirement that already fails for another reason);
 * - `masked`: not caught, but every requirement the mutant violates already
 *   fails without it (the server itself has the bug, so no suite can tell);
 * - `survived`: not caught, and not masked;
 * - `error`: the run against the mutant could not complete, or no
 *   requirement it violates reached a verdict with it (each `error` or
 *   `skip`: inconclusive, never "survived");
 * - `not-run`: outside the selected requirements (`--only`).
 */
export type MutantStatus = 'caught' | 'survived' | 'masked' | 'error' | 'not-run';

/** One test whose verdict went from pass to fail. */
export interface TestChange {
  id: string;
  test: string;
}

/**
 * Tests that passed without the mutant and fail with it. Finer than the
 * requirement verdicts: shows which tests notice a mutant whose requirement
 * already fails for another reason (a masked mutant).
 */
export function testsBroken(baseline: readonly RequirementResult[], withMutant: readonly RequirementResult[]): TestChange[] {
  const passed = new Set(baseline.flatMap((r) => r.tests.filter((t) => t.verdict === 'pass').map((t) => `${r.id}\n${t.name}`)));
  return withMutant.flatMap((r) => r.tests.filter((t) => t.verdict === 'fail' && passed.has(`${r.id}\n${t.name}`)).map((t) => ({ id: r.id, test: t.name })));
}

/**
 * One failing test of a requirement a mutant does not violate, which did not
 * fail without the mutant: the suite blamed the wrong requirement (typically
 * one whose precondition the mutant made unreachable, which should have said
 * `error`, or one asserting more than its statement).
 */
export interface FalseBlame {
  /** The requirement wrongly failed. */
  id: string;
  /** Its verdict without the mutant (`fail` when only this test is new). */
  before: Verdict;
  /** The failing test's name. */
  test: string;
  /** The failing test's message (first line kept by the reports). */
  message?: string;
}

/**
 * The precision column: every test that fails with the mutant, in a
 * requirement outside `mutant.violates`, and did not fail without it (it
 * passed, was skipped or errored, or did not exist: a payload finding). Like
 * `testsBroken`, this looks at tests, so a requirement the target already
 * fails for another reason (Synapse's PRES-IDLE-AUTO) still shows a test the
 * mutant wrongly broke. A requirement the baseline did not run is compared
 * with nothing and left out.
 */
export function falseBlames(
  violates: readonly string[],
  baseline: readonly RequirementResult[],
  withMutant: readonly RequirementResult[],
): FalseBlame[] {
  const before = new Map(baseline.map((r) => [r.id, r]));
  return withMutant.flatMap((r) => {
    const was = before.get(r.id);
    if (r.verdict !== 'fail' || violates.includes(r.id) || !was) return [];
    const failedBefore = new Set(was.tests.filter((t) => t.verdict === 'fail').map((t) => t.name));
    return r.tests
      .filter((t) => t.verdict === 'fail' && !failedBefore.has(t.name))
      .map((t) => ({ id: r.id, before: was.verdict, test: t.name, ...(t.message ? { message: t.message } : {}) }));
  });
}

/**
 * Splits the false blames of a mutant run by a second run of the same mutant
 * over the blamed requirements: a blame whose test fails again is confirmed;
 * one that does not is a verdict that flipped between two runs of the same
 * server and mutant (a flaky observation, reported as such, not a blame).
 */
export function recheckBlames(blames: readonly FalseBlame[], again: readonly FalseBlame[]): { confirmed: FalseBlame[]; unconfirmed: FalseBlame[] } {
  const key = (b: FalseBlame) => `${b.id}\u0000${b.test}`;
  const repeated = new Set(again.map(key));
  return { confirmed: blames.filter((b) => repeated.has(key(b))), unconfirmed: blames.filter((b) => !repeated.has(key(b))) };
}

/** Verdict of each requirement of a run, by ID. */
export function verdictsOf(requirements: readonly RequirementResult[]): Map<string, Verdict> {
  return new Map(requirements.map((r) => [r.id, r.verdict]));
}

/** Requirements whose verdicts differ between two runs, over the IDs both ran. */
export function differences(before: Map<string, Verdict>, after: Map<string, Verdict>): VerdictChange[] {
  const changes: VerdictChange[] = [];
  for (const [id, was] of before) {
    const now = after.get(id);
    if (now !== undefined && now !== was) changes.push({ id, before: was, after: now });
  }
  return changes;
}

/**
 * The requirement IDs worth running against a mutant, within `selected`:
 * those it violates plus every requirement of the areas it names and of the
 * areas of what it violates; all of `selected` if it names no areas.
 */
export function mutantScope(mutant: Mutant, selected: readonly string[]): string[] {
  if (!mutant.areas) return [...selected];
  const areas = new Set<string>(mutant.areas);
  for (const r of REQUIREMENTS) if (mutant.violates.includes(r.id)) areas.add(r.area);
  return selected.filter((id) => mutant.violates.some((v) => v === id) || areas.has(REQUIREMENTS.find((r) => r.id === id)?.area ?? ''));
}

/** Verdicts that judge nothing: the requirement's precondition was not reached, or it was not run. */
const UNJUDGED: ReadonlySet<Verdict> = new Set(['error', 'skip']);

/**
 * Decides a mutant's status from the no-mutant baseline and the verdicts with
 * the mutant, and the tests it broke (`testsBroken`).
 */
export function judge(
  mutant: Mutant,
  baseline: Map<string, Verdict>,
  withMutant: Map<string, Verdict>,
  broken: readonly TestChange[] = [],
): { status: Exclude<MutantStatus, 'not-run'>; caughtBy: VerdictChange[]; otherChanges: VerdictChange[]; note?: string } {
  const changes = differences(baseline, withMutant);
  const caughtBy = changes.filter((c) => c.after === 'fail');
  const otherChanges = changes.filter((c) => c.after !== 'fail');
  if (caughtBy.length || broken.length) return { status: 'caught', caughtBy, otherChanges };
  const targeted = mutant.violates.filter((id) => withMutant.has(id));
  // What it violates that this target cannot judge with or without it (error or skip both times,
  // e.g. the errcode of a refusal a server that accepts free_for_chat never makes) says nothing
  // either way: the server's own behaviour hides the mutant there as a failure would (its
  // stories name the requirement that explains the error). Masked when everything else it
  // violates already fails without it, or when nothing it violates can be judged on this target.
  const unjudged = targeted.filter((id) => UNJUDGED.has(baseline.get(id)!) && UNJUDGED.has(withMutant.get(id)!));
  const judged = targeted.filter((id) => !unjudged.includes(id));
  // A skip (slow, needs a pair) is the suite not looking, not the server hiding it: with nothing
  // else judged, only errors (preconditions the server never reaches) mask.
  const hidden = judged.length > 0 || unjudged.every((id) => baseline.get(id) === 'error');
  if (targeted.length > 0 && hidden && judged.every((id) => baseline.get(id) === 'fail')) {
    return { status: 'masked', caughtBy, otherChanges, ...(unjudged.length ? { note: `${unjudged.join(', ')} cannot be judged on this target (${unjudged.map((id) => baseline.get(id)).join(', ')} with and without the mutant)` } : {}) };
  }
  // Not one requirement it violates was judged with it: whether the suite would catch it is unknown, not "no".
  if (targeted.length > 0 && targeted.every((id) => withMutant.get(id) === 'error' || withMutant.get(id) === 'skip')) {
    return { status: 'error', caughtBy, otherChanges, note: `inconclusive: ${targeted.map((id) => `${id} ${withMutant.get(id)}`).join(', ')} with the mutant, so nothing it violates was judged` };
  }
  return { status: 'survived', caughtBy, otherChanges };
}

/**
 * The errors a slowed run (the latency mode) gave that the direct run did
 * not: those latency caused. One both runs have is the target's (tuwunel's
 * PRES-FFC-ERRCODE, with no refusal of free_for_chat to judge).
 */
export function latencyErrors(direct: readonly RequirementResult[], slowed: readonly RequirementResult[]): { id: string; message?: string }[] {
  const directErrors = new Set(direct.filter((r) => r.verdict === 'error').map((r) => r.id));
  return slowed.filter((r) => r.verdict === 'error' && !directErrors.has(r.id)).map((r) => ({ id: r.id, message: r.tests.find((t) => t.verdict === 'error')?.message }));
}
