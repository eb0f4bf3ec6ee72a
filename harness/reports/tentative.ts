import type { Tentative } from '../catalogue.js';
import type { GateOutcome } from '../results/gate.js';
import type { RequirementResult } from '../results/model.js';
import { isTentative, proposalOfId } from '../results/tentative.js';
import { countVerdicts, VERDICTS } from './report-input.js';

/**
 * What every report says of the tentative area (PRES-TENT-*), once: they are
 * checked against proposals (MSCs) not yet in the spec text, reported apart
 * from the catalogue's counts, and gate only when asked.
 */
export const TENTATIVE_NOTE = 'proposals (MSCs) not yet in the spec text, counted apart; they never gate unless `--fail-on tentative`';

/** The results split: the stable catalogue's requirements (every headline count), and the tentative area's. */
export function splitTentative(requirements: readonly RequirementResult[]): { stable: RequirementResult[]; tentative: RequirementResult[] } {
  return { stable: requirements.filter((r) => !isTentative(r)), tentative: requirements.filter(isTentative) };
}

/** A tentative requirement's proposal, from its result (or, for results of older versions, the catalogue). */
export function proposalOf(requirement: Pick<RequirementResult, 'id' | 'tentative'>): Tentative | undefined {
  return requirement.tentative ?? proposalOfId(requirement.id);
}

/** `MSC4186 (merged)`, or '' for a requirement of the stable catalogue. */
export function proposalLabel(requirement: Pick<RequirementResult, 'id' | 'tentative'>): string {
  const p = proposalOf(requirement);
  return p ? `${p.msc} (${p.status})` : '';
}

/** Whether the tentative requirements gated this run, in words: `not gating`, or `gating: --fail-on tentative`. */
export function tentativeGating(gate: GateOutcome | undefined): string {
  return gate?.tentativeGates ? 'gating: --fail-on tentative' : 'not gating';
}

/**
 * The tentative requirements' counts in one line, then per proposal (its
 * verdicts that occurred): `8 tentative (not gating): 1 pass, 2 fail, 0 error,
 * 5 skip; MSC4186 (merged): 1 pass, 2 fail, 2 skip; MSC3026 (closed-but-shipped): 3 skip`.
 */
export function tentativeCountsLine(tentative: readonly RequirementResult[], gate: GateOutcome | undefined): string {
  const counts = countVerdicts(tentative);
  const proposals = [...new Set(tentative.map(proposalLabel))].map((label) => {
    const of = countVerdicts(tentative.filter((r) => proposalLabel(r) === label));
    return `${label}: ${VERDICTS.filter((v) => of[v] > 0).map((v) => `${of[v]} ${v}`).join(', ')}`;
  });
  return [`${tentative.length} tentative (${tentativeGating(gate)}): ${VERDICTS.map((v) => `${counts[v]} ${v}`).join(', ')}`, ...proposals].join('; ');
}

/** How an expected failure is named: `expected failure`, or, for an ID the catalogue knows as tentative, `expected failure, tentative (MSC4186)`. */
export function expectedFailureLabel(id: string): string {
  const p = proposalOfId(id);
  return p ? `expected failure, tentative (${p.msc})` : 'expected failure';
}

/** An ID as lists of IDs name it: `PRES-TENT-SSS-IDLE (tentative)` for a tentative one. */
export function taggedId(id: string, show: (id: string) => string = (x) => x): string {
  return proposalOfId(id) ? `${show(id)} (tentative)` : show(id);
}
