import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { HarnessError } from '../errors.js';

/** Children started by `runCommand` and still running, so an interrupted build can stop them. */
const running = new Set<ChildProcess>();

/**
 * Sends SIGTERM to the process group of every command `runCommand` started
 * that is still running (debootstrap's dpkg, pip under docker start) and
 * resolves once they all ended, or after `graceMs`.
 */
export function stopRunningCommands(graceMs = 10_000): Promise<void> {
  const children = [...running];
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
  }
  const ended = children.map((child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('close', () => resolve()))));
  return Promise.race([Promise.all(ended).then(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref())]);
}

export interface RunOptions {
  /** Progress sink for the output lines worth showing. */
  progress: (line: string) => void;
  /** Output lines passed on as progress; every line feeds the error tail. */
  interesting: RegExp;
  /** Environment of the command (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Name of the step in the error message (default: the command). */
  what?: string;
}

/**
 * Runs one build step to completion, streaming its interesting output lines;
 * rejects with a HarnessError naming the step and its last output line.
 */
export function runCommand(command: string, args: string[], options: RunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group, so an interruption can stop all it started (stopRunningCommands).
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, detached: true });
    running.add(child);
    let tail = '';
    let partial = '';
    const onData = (chunk: Buffer) => {
      const text = partial + chunk.toString();
      tail = (tail + chunk.toString()).slice(-4_000);
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (options.interesting.test(line.trim())) options.progress(line.trim().slice(0, 160));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (cause) => {
      running.delete(child);
      reject(new HarnessError(`${options.what ?? command} could not be run: ${cause.message}`));
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      if (code === 0) return resolve();
      const last = tail.trim().split('\n').slice(-3).join(' | ');
      reject(new HarnessError(`${options.what ?? command} failed (${signal ?? `exit ${code}`}): ${last}`));
    });
  });
}

/** What a short command printed. */
export interface Captured {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not be started (not installed). */
  error?: Error;
}

/** Runs a short query command (docker inspect, --version) and returns what it printed. */
export function capture(command: string, args: string[], timeoutMs = 60_000): Captured {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(r.error ? { error: r.error } : {}) };
}
