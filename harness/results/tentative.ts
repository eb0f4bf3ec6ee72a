import { REQUIREMENTS, type Tentative } from '../catalogue.js';
import type { RequirementResult } from './model.js';

/**
 * Whether a requirement is of the tentative area (PRES-TENT-*: proposals not
 * yet in the spec text). Read from the result's area, which the catalogue
 * gave it, so results of other suite versions are told apart the same way.
 */
export function isTentative(requirement: Pick<RequirementResult, 'area'>): boolean {
  return requirement.area === 'tentative';
}

/** The proposal of an ID the catalogue knows as tentative (an expectations entry, say); undefined for any other ID. */
export function proposalOfId(id: string): Tentative | undefined {
  return REQUIREMENTS.find((r) => r.id === id)?.tentative;
}
