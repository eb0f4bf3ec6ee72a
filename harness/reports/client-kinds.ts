import { combine } from '../results/aggregate.js';
import type { RequirementResult, Verdict } from '../results/model.js';
import { VERDICTS } from './report-input.js';

/** One client kind's verdict on a requirement: the combined verdict of the tests that ran their user as that kind. */
export interface KindVerdict {
  /** `ClientKind.id` (harness/story/presence/clients.ts): fresh, two-devices, bot, background, ... */
  kind: string;
  verdict: Verdict;
}

/**
 * A requirement's verdict per client kind (`combine` of its tests of that
 * kind), kinds in the order its tests name them; empty when no test named
 * one. Tests that named none (a payload violation's entry, say) count for no kind.
 */
export function verdictsByKind(requirement: Pick<RequirementResult, 'tests'>): KindVerdict[] {
  const kinds = [...new Set(requirement.tests.map((t) => t.clientKind).filter((k): k is string => k !== undefined))];
  return kinds.map((kind) => ({ kind, verdict: combine(requirement.tests.filter((t) => t.clientKind === kind).map((t) => t.verdict)) }));
}

/**
 * Whether the client kinds a requirement was checked with got different
 * verdicts (the client path an implementer must look at). A kind skipped (its
 * story did not apply, or was over the budget) checked nothing: it differs from none.
 */
export function kindsDiffer(requirement: Pick<RequirementResult, 'tests'>): boolean {
  return new Set(verdictsByKind(requirement).filter((k) => k.verdict !== 'skip').map((k) => k.verdict)).size > 1;
}

/** The kinds grouped by verdict, worst first: `fail with bot, background; pass with fresh, two-devices`. */
export function kindsLine(requirement: Pick<RequirementResult, 'tests'>): string {
  const byKind = verdictsByKind(requirement);
  const order: readonly Verdict[] = ['fail', 'error', ...VERDICTS.filter((v) => v !== 'fail' && v !== 'error')];
  return order
    .map((verdict) => ({ verdict, kinds: byKind.filter((k) => k.verdict === verdict).map((k) => k.kind) }))
    .filter((g) => g.kinds.length)
    .map((g) => `${g.verdict} with ${g.kinds.join(', ')}`)
    .join('; ');
}
