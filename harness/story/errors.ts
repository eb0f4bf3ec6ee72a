/**
 * The two errors a story throws to end with a verdict other than an
 * exception of the harness: `fail` (the server broke the requirement) and
 * `error`, inconclusive (the story could not make its check). The
 * harness's own failures (`HarnessError`, exit codes) stay in
 * harness/errors.ts, beneath both the face and the machinery.
 */

import type { RequirementId } from '../requirement-ids.js';

/**
 * The server did not show a required behaviour (for example, not within the
 * deadline derived from its declared timings). Reported as verdict `fail`,
 * unlike other exceptions which are harness `error`s.
 */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

/**
 * A check that could not be made: a precondition of the story was not
 * reached, or a positive control failed (for example, a roommate never
 * received alice's presence, so silence towards a non-roommate proves
 * nothing). Reported as verdict `error` with the cause and, when one
 * explains it, the requirement to look at: "inconclusive: <cause>, see PRES-X".
 * Never a `fail`: the server did not contradict the requirement under test.
 */
export class Inconclusive extends Error {
  override readonly name = 'Inconclusive';
  constructor(
    /** What the story needed and did not get, in the spec's terms. */
    readonly reason: string,
    /** The requirement whose failure explains it, if any. */
    readonly see?: RequirementId,
    /** What was observed instead (the underlying failure's message). */
    detail?: string,
  ) {
    super(`inconclusive: ${reason}${see ? `, see ${see}` : ''}${detail ? `\n${detail}` : ''}`);
  }
}
