import { REQUIREMENTS, type Requirement } from '../catalogue.js';
import type { CollectedTest, RequirementResult, TestResult, Verdict } from './model.js';
import { failureCause } from './failure-cause.js';

/** Requirements the suite does not cover yet, with the reason reported as their skip message. */
export const NOT_COVERED: Readonly<Record<string, string>> = {};

/** How one requirement's verdict follows from its tests': any fail, else any error, else any pass, else skip. */
export function combine(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('fail')) return 'fail';
  if (verdicts.includes('error')) return 'error';
  if (verdicts.includes('pass')) return 'pass';
  return 'skip';
}

/**
 * Folds collected tests into per-requirement results, in catalogue order.
 * Invariant violations recorded by any test (a `free_for_chat` in a payload,
 * a schema mismatch, ...) become failing entries of the requirement they
 * break, named after the test that saw them.
 */
export function aggregate(
  tests: CollectedTest[],
  inScope: string[],
  evidencePath: (test: CollectedTest) => string | undefined,
  notRunReason: string,
): RequirementResult[] {
  const byRequirement = new Map<string, TestResult[]>();
  const add = (id: string, result: TestResult) => {
    const list = byRequirement.get(id) ?? [];
    list.push(result);
    byRequirement.set(id, list);
  };

  for (const test of tests) {
    const evidence = evidencePath(test);
    const clientKind = test.evidence?.clientKind;
    const cause = test.verdict === 'fail' ? failureCause(test.requirementId, { message: test.message, payloadEntry: false }, test.evidence) : undefined;
    add(test.requirementId, {
      name: test.name,
      ...(clientKind ? { clientKind } : {}),
      verdict: test.verdict,
      startedAt: test.startedAt,
      durationMs: test.durationMs,
      exchanges: test.evidence?.exchanges.length,
      message: test.message,
      ...(test.inconclusive ? { inconclusive: test.inconclusive } : {}),
      ...(cause ? { cause } : {}),
      ...(test.slow ? { skipReason: 'slow' as const } : test.rateLimited ? { skipReason: 'rate-limited' as const } : {}),
      evidence,
    });
    const seen = new Map<string, string[]>();
    for (const v of test.evidence?.violations ?? []) {
      seen.set(v.requirementId, [...(seen.get(v.requirementId) ?? []), `${v.message} (exchange #${v.exchangeSeq})`]);
    }
    for (const [id, messages] of seen) {
      const cause = failureCause(id, { payloadEntry: true }, test.evidence);
      add(id, { name: payloadEntryName(test.fullName), verdict: 'fail', durationMs: 0, message: messages.slice(0, 3).join('; '), evidence, ...(cause ? { cause } : {}) });
    }
  }

  return REQUIREMENTS.filter((r) => inScope.includes(r.id)).map((r) => {
    const tests = byRequirement.get(r.id) ?? [];
    return { ...header(r), ...requirementVerdict(tests), tests: tests.length ? tests : [placeholder(r.id, notRunReason)] };
  });
}

const PAYLOAD_ENTRY = 'payload seen during ';

/** The name of the failing entry that stands for a requirement's payload violations seen during the test `fullName`. */
export function payloadEntryName(fullName: string): string {
  return `${PAYLOAD_ENTRY}"${fullName}"`;
}

/** Whether a test entry stands for payload violations (`payloadEntryName`), not for a test's own outcome. */
export function isPayloadEntry(name: string): boolean {
  return name.startsWith(PAYLOAD_ENTRY);
}

/**
 * A requirement's verdict from its tests' (`combine`); a skip that --slow (or
 * a server without the rate limit) would have turned into a verdict is "not
 * checked", never a plain skip: `rate-limited` when any test met a rate
 * limit, else `slow`.
 */
export function requirementVerdict(tests: readonly TestResult[]): Pick<RequirementResult, 'verdict' | 'notChecked'> {
  const verdict = tests.length ? combine(tests.map((t) => t.verdict)) : 'skip';
  if (verdict !== 'skip') return { verdict };
  const reasons = new Set(tests.map((t) => t.skipReason));
  if (reasons.has('rate-limited')) return { verdict, notChecked: 'rate-limited' };
  return reasons.has('slow') ? { verdict, notChecked: 'slow' } : { verdict };
}

/** Name of the entry standing for a requirement no test of the run reached (not covered, or not run). */
export const NO_TEST_RAN = '(no test ran)';

function header(r: Requirement): Pick<RequirementResult, 'id' | 'level' | 'area' | 'title' | 'tentative'> {
  return { id: r.id, level: r.level, area: r.area, title: r.title, ...(r.tentative ? { tentative: { msc: r.tentative.msc, status: r.tentative.status } } : {}) };
}

function placeholder(id: string, notRunReason: string): TestResult {
  return { name: NO_TEST_RAN, verdict: 'skip', durationMs: 0, message: NOT_COVERED[id] ?? notRunReason };
}
