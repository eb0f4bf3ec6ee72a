import type { RequirementId } from './story/requirement-ids.js';

/** Exit codes of the CLI; documented in the README and `--help`. */
export const EXIT = {
  /** No MUST requirement failed (or, with `--expect`, no unexpected failure). */
  ok: 0,
  /** At least one gating requirement failed. */
  failed: 1,
  /** The harness could not run: bad flags, unreachable or non-Matrix target, provisioning failure, a target gone mid-run. */
  harness: 2,
  /** Interrupted by SIGINT/SIGTERM; a partial report was written. */
  interrupted: 130,
} as const;

/**
 * A failure of the harness itself (not of the server under test). Carries a
 * one-line cause for the user and the exit code the CLI should end with.
 */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.harness,
  ) {
    super(message);
  }
}

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
