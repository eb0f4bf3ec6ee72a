import { requirementById } from '../catalogue.js';
import type { RequirementId } from '../requirement-ids.js';
import { Inconclusive } from './errors.js';

// Errors that mean "the server did not do it": inside a precondition they
// make the story inconclusive instead of failing the requirement under test.
const NOT_REACHED = new Set(['AssertionError', 'ConformanceFailure']);

/**
 * A precondition or positive control of a story: something the test needs
 * but does not verify. If `step` shows the server did not do it (a timeout of
 * `eventually`, a failed `expect`, a refused request), the test ends with the
 * verdict `error`, "inconclusive: <what>, see <see>", never `fail`: the
 * requirement under test was not contradicted. `see` names the requirement
 * that covers the step (checked against the catalogue), or `null` when none
 * does (creating a room, logging in). Harness errors pass through unchanged.
 *
 * @example
 * await given('PRES-VIS-SHARED-SYNC', "alice's change reaches her roommate", bob.seesPresence(alice, ...));
 */
export async function given<T>(see: RequirementId | null, what: string, step: Promise<T> | (() => Promise<T>)): Promise<T> {
  if (see !== null) requirementById(see);
  try {
    return await (typeof step === 'function' ? step() : step);
  } catch (cause) {
    if (cause instanceof Error && NOT_REACHED.has(cause.name)) throw new Inconclusive(what, see ?? undefined, firstLines(cause.message));
    throw cause;
  }
}

function firstLines(message: string): string {
  return message.split('\n').slice(0, 4).join('\n');
}
