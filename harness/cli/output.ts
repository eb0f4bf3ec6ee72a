import { EXIT, HarnessError } from '../errors.js';

/** Progress and diagnostics go to stderr, so stdout stays clean for data. */
export const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Prints the one-line cause of a failure (through `say`: one target's prefixed log) and returns the exit code it calls for. */
export function fail(cause: unknown, say: (line: string) => void = log): number {
  const message = cause instanceof Error ? cause.message : String(cause);
  say(`presence-conformance: ${message.split('\n')[0]}`);
  return cause instanceof HarnessError ? cause.exitCode : EXIT.harness;
}
