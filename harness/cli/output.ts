import { EXIT, HarnessError } from '../errors.js';

/** Progress and diagnostics go to stderr, so stdout stays clean for data. */
export const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Prints the one-line cause of a failure and returns the exit code it calls for. */
export function fail(cause: unknown): number {
  const message = cause instanceof Error ? cause.message : String(cause);
  log(`presence-conformance: ${message.split('\n')[0]}`);
  return cause instanceof HarnessError ? cause.exitCode : EXIT.harness;
}
