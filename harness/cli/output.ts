import { stderrBoard } from '../console/stderr-board.js';
import { EXIT, HarnessError } from '../errors.js';

/**
 * Progress and diagnostics go to stderr, so stdout stays clean for data;
 * through its board, so a live progress line never cuts into them.
 */
export const log = (line: string): void => {
  stderrBoard.log(line);
};

/** Prints the one-line cause of a failure and returns the exit code it calls for. */
export function fail(cause: unknown): number {
  const message = cause instanceof Error ? cause.message : String(cause);
  log(`presence-conformance: ${message.split('\n')[0]}`);
  return cause instanceof HarnessError ? cause.exitCode : EXIT.harness;
}
