import { stderrBoard } from '../console/stderr-board.js';
import { EXIT, HarnessError } from '../errors.js';

/**
 * Progress and diagnostics go to stderr, so stdout stays clean for data;
 * through its board, so a live progress line never cuts into them.
 */
export const log = (line: string): void => {
  stderrBoard.log(line);
};

/** Prints the one-line cause of a failure (through `say`: one target's prefixed log) and returns the exit code it calls for. */
export function fail(cause: unknown, say: (line: string) => void = log): number {
  const message = cause instanceof Error ? cause.message : String(cause);
  say(`presence-conformance: ${message.split('\n')[0]}`);
  return cause instanceof HarnessError ? cause.exitCode : EXIT.harness;
}

/**
 * One target's lines when several run side by side: `[target] line`, unless
 * the line names its target already (the homeserver's progress, `[synapse]
 * starting ...`; a pair's members say `[synapse, peer]` under
 * `[synapse+synapse]`); blank lines stay blank.
 */
export function targetLines(target: string, write: (line: string) => void = log): (line: string) => void {
  return (line) => write(line === '' || line.startsWith(`[${target}]`) ? line : `[${target}] ${line}`);
}
