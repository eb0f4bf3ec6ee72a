
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
