import { combine, NO_TEST_RAN, requirementVerdict } from './aggregate.js';
import type { Diagnosis, UsersOutcome, EvidenceFile, RequirementResult, Results, RunRecord, TestResult, TestRun, Verdict } from './model.js';

/** Where run `run`'s evidence file `file` goes in the folder of several runs (`--repeat`). */
function runEvidencePath(file: string, run: number): string {
  return file.replace(/\.json$/, `.run-${run}.json`);
}

/**
 * Folds N runs of one selection against one target (`--repeat N`) into one
 * record, run 1 first:
 * - a test's verdict is the worst of its runs' (`combine`: fail, then error,
 *   then pass, then skip), with the message, evidence and inconclusive cause
 *   of the first run that gave it, so a failure that occurred once is never
 *   hidden; `runs` lists every run's verdict, message and own evidence;
 * - a test whose verdict was not the same in every run that reached its
 *   requirement (or that only some runs produced: a payload violation seen
 *   once) is `flaky`, and so is a requirement whose verdict changed;
 * - the requirement's verdict follows from its merged tests as in one run;
 * - every run's evidence is kept, renamed per run (`runEvidencePath`).
 *
 * A run that was cut short reaches only some requirements: those it did not
 * reach (only a "no test ran" entry) are left out of its share, rather than
 * counted as a skip that would look like a flip.
 */
export function mergeRuns(records: readonly RunRecord[]): RunRecord {
  if (records.length === 0) throw new Error('mergeRuns needs at least one run');
  const evidence = new Map<string, EvidenceFile>();
  records.forEach((record, i) => {
    for (const [file, content] of record.evidence) evidence.set(runEvidencePath(file, i + 1), content);
  });
  const ids = [...new Set(records.flatMap((r) => r.results.requirements.map((q) => q.id)))];
  const requirements = ids.map((id) => {
    const shares = records.flatMap((record, i) => {
      const requirement = record.results.requirements.find((q) => q.id === id);
      if (!requirement || (record.results.interrupted && requirement.tests.every((t) => t.name === NO_TEST_RAN))) return [];
      return [{ run: i + 1, requirement }];
    });
    // No run reached it (every one was cut short before): keep the last run's entry, with no run of its own.
    return shares.length ? mergeRequirement(shares) : { ...lastRequirement(records, id), runs: [] };
  });
  const first = records[0]!.results;
  const last = records.at(-1)!.results;
  const interrupted = records.map((r) => r.results.interrupted).find(Boolean);
  const diagnoses = uniqueDiagnoses(records.flatMap((r) => r.results.diagnoses ?? []));
  const users = sumUsers(records.flatMap((r) => (r.results.users ? [r.results.users] : [])));
  const results: Results = {
    ...first,
    durationMs: Date.parse(last.startedAt) + last.durationMs - Date.parse(first.startedAt),
    ...(interrupted ? { interrupted } : {}),
    ...(diagnoses.length ? { diagnoses } : {}),
    ...(users ? { users } : {}),
    repeat: records.length,
    requirements,
  };
  return { results, evidence };
}

function mergeRequirement(shares: Array<{ run: number; requirement: RequirementResult }>): RequirementResult {
  const names = [...new Set(shares.flatMap((s) => s.requirement.tests.map((t) => t.name)))];
  const tests = names.map((name) => {
    const runs = shares.flatMap(({ run, requirement }) => requirement.tests.filter((t) => t.name === name).map((test) => ({ run, test })));
    return mergeTest(runs, shares.length);
  });
  const { id, level, area, title, tentative } = shares[0]!.requirement;
  const runs = shares.map(({ run, requirement }) => ({ run, verdict: requirement.verdict }));
  return { id, level, area, title, ...(tentative ? { tentative } : {}), ...requirementVerdict(tests), tests, runs, ...(changed(runs.map((r) => r.verdict)) ? { flaky: true as const } : {}) };
}

function mergeTest(runs: Array<{ run: number; test: TestResult }>, reached: number): TestResult {
  const verdict = combine(runs.map((r) => r.test.verdict));
  const chosen = runs.find((r) => r.test.verdict === verdict)!;
  const perRun: TestRun[] = runs.map(({ run, test }) => ({
    run,
    verdict: test.verdict,
    durationMs: test.durationMs,
    ...(test.message !== undefined ? { message: test.message } : {}),
    ...(test.skipReason ? { skipReason: test.skipReason } : {}),
    ...(test.evidence ? { evidence: runEvidencePath(test.evidence, run) } : {}),
    ...(test.inconclusive ? { inconclusive: test.inconclusive } : {}),
  }));
  const { runs: _runs, flaky: _flaky, ...test } = chosen.test;
  const flaky = changed(runs.map((r) => r.test.verdict)) || runs.length < reached;
  return {
    ...test,
    ...(test.evidence ? { evidence: runEvidencePath(test.evidence, chosen.run) } : {}),
    runs: perRun,
    ...(flaky ? { flaky: true as const } : {}),
  };
}

function changed(verdicts: readonly Verdict[]): boolean {
  return new Set(verdicts).size > 1;
}

function lastRequirement(records: readonly RunRecord[], id: string): RequirementResult {
  return [...records].reverse().flatMap((r) => r.results.requirements.filter((q) => q.id === id))[0]!;
}

/** The test users of all runs (each run made and removed its own): counts summed, names joined, the first cause. */
function sumUsers(all: readonly UsersOutcome[]): UsersOutcome | undefined {
  if (all.length === 0) return undefined;
  const sum = (pick: (u: UsersOutcome) => number) => all.reduce((total, u) => total + pick(u), 0);
  const names = all.flatMap((u) => u.notCleanedUp ?? []);
  const cause = all.find((u) => u.cause)?.cause;
  const skipped = all.find((u) => u.skipped)?.skipped;
  const timed = all.filter((u) => u.durationMs !== undefined);
  return {
    made: sum((u) => u.made),
    deactivated: sum((u) => u.deactivated),
    failed: sum((u) => u.failed),
    ...(names.length ? { notCleanedUp: names } : {}),
    ...(cause ? { cause } : {}),
    ...(skipped ? { skipped } : {}),
    ...(timed.length ? { durationMs: sum((u) => u.durationMs ?? 0) } : {}),
  };
}

/** The diagnoses of all runs, one per code (the first run's wording). */
function uniqueDiagnoses(all: readonly Diagnosis[]): Diagnosis[] {
  return all.filter((d, i) => all.findIndex((other) => other.code === d.code) === i);
}
