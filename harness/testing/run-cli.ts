import type { TargetTimings } from '../timings.js';
import { FLAGGED_TIMINGS } from '../timing-flags.js';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/presence-conformance.js', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * Runs the real CLI as a user would, for end-to-end tests. `onStderr` sees
 * the stderr accumulated so far and may act on the child (send a signal).
 */
export function runCli(args: string[], options: NodeRunOptions = {}): Promise<CliRun> {
  return runNode([BIN, ...args], options);
}

/**
 * Runs a TypeScript test-support script (`node --import tsx <script>`) in a
 * child process, such as a self-check driver under harness/selfcheck/testing.
 */
export function runScript(script: string, args: string[], options: NodeRunOptions = {}): Promise<CliRun> {
  return runNode(['--import', 'tsx', script, ...args], options);
}

interface NodeRunOptions {
  env?: NodeJS.ProcessEnv;
  /** Sees the stderr accumulated so far and may act on the child (send a signal). */
  onStderr?: (text: string, pid: number) => void;
}

function runNode(nodeArgs: string[], options: NodeRunOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, nodeArgs, { env: { ...process.env, ...options.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (child.pid !== undefined) options.onStderr?.(stderr, child.pid);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, durationMs: Date.now() - started }));
  });
}

/** The last non-empty line a run printed to stderr: where the one-line cause is. */
export function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

/**
 * The timing flags that declare `t` to a `--target url` run (a test pointing
 * one at a server it started, such as an embedded Synapse with its own
 * timings); `--longest-cycle` too when `withCycle`. `--first-cycle-by` is left
 * to its default: such a server has just booted. Read from the flags' table.
 */
export function timingFlagsOf(t: TargetTimings, withCycle = false): string[] {
  return FLAGGED_TIMINGS.flatMap(({ key, flag }) => {
    if (key === 'firstCycleByMs' || (key === 'longestCycleMs' && !withCycle)) return [];
    const value = t[key];
    return value === undefined ? [] : [`--${flag}`, String(value)];
  });
}
