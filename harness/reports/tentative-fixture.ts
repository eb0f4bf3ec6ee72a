/**
 * Test-only: the writers' fixture run (test-fixture.ts) with the tentative
 * area (a failing MUST the expectations list, a passing one, one no test
 * reached) and a stable requirement whose client kinds disagree.
 */
import { requirementById, type RequirementId } from '../catalogue.js';
import { gate, type FailOn } from '../results/gate.js';
import type { Results } from '../results/model.js';
import type { ReportInput } from './report-input.js';
import { EXPECTATIONS, fixtureResults } from './test-fixture.js';

function about(id: RequirementId) {
  const { level, area, title, tentative } = requirementById(id);
  return { id, level, area, title, ...(tentative ? { tentative: { ...tentative } } : {}) };
}

export const TENTATIVE_REASON = 'the sliding-sync servlet never calls into presence';

export function tentativeResults(): Results {
  const results = fixtureResults();
  results.requirements.push(
    {
      ...about('PRES-SYNC-DEFAULT'), verdict: 'fail',
      tests: [
        { name: 'online by /sync (alice: fresh)', clientKind: 'fresh', verdict: 'pass', durationMs: 10 },
        { name: 'online by /sync (alice: synced first)', clientKind: 'synced-first', verdict: 'fail', durationMs: 10, message: 'AssertionError: bob never saw alice online' },
      ],
    },
    {
      ...about('PRES-TENT-SSS-DEFAULT'), verdict: 'fail',
      tests: [{ name: 'sliding sync marks online', clientKind: 'sliding-sync', verdict: 'fail', durationMs: 20, message: 'AssertionError: bob never saw alice online after a sliding sync' }],
    },
    { ...about('PRES-TENT-BUSY-SET'), verdict: 'pass', tests: [{ name: 'busy is set', verdict: 'pass', durationMs: 5 }] },
    { ...about('PRES-TENT-BUSY-NOT-IDLED'), verdict: 'error', tests: [{ name: 'busy is not idled', verdict: 'error', durationMs: 5, message: 'inconclusive: busy never set, see PRES-TENT-BUSY-SET' }] },
  );
  return results;
}

/** The tentative fixture with its gate decided by the real gate, the expectations listing the tentative failure. */
export function tentativeInput(failOn: FailOn = 'must'): ReportInput {
  const results = tentativeResults();
  const expectations = { ...EXPECTATIONS, expectedFailures: [...EXPECTATIONS.expectedFailures, { id: 'PRES-TENT-SSS-DEFAULT', reason: TENTATIVE_REASON }] };
  return { results, expectations, gate: gate(results.requirements, { failOn, expectations }) };
}
