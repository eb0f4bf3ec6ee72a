import { spawn } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from '../errors.js';
import { clockText } from '../console/clock-text.js';
import { stderrBoard } from '../console/stderr-board.js';
import type { StatusBoard } from '../console/status-board.js';

/** Root of the per-user cache that holds provisioned homeservers (every embedded target). */
export function cacheRoot(): string {
  return process.env.PRESENCE_CONFORMANCE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'matrix-presence-conformance');
}

/**
 * Installs under way in this process, by folder: runs side by side in one
 * process (`run --target synapse,synapse+synapse`, or a pair's two servers)
 * would otherwise share the one staging folder this process names, each
 * removing the other's half-done install.
 */
const installing = new Map<string, Promise<void>>();

/**
 * Makes sure `dir` (under the cache) holds a complete install, building it
 * with `install(staging)` if not. Installs into a staging folder renamed into
 * place, so an interrupted install is never mistaken for a complete one and
 * concurrent processes cannot corrupt each other; within one process, a
 * second caller waits for the install under way. `what` names it in
 * progress lines and errors. The tools' whole output goes to
 * `<dir>.provision.log` (`install` gets its path for `runInstallCommand`),
 * the console only one updating line per step.
 */
export async function provisionCached(
  dir: string,
  what: string,
  progress: (line: string) => void,
  install: (staging: string, logFile: string) => Promise<void>,
): Promise<void> {
  if (existsSync(path.join(dir, '.complete'))) return;
  const under = installing.get(dir);
  if (under) {
    progress(`waiting for the install of ${what} another run of this command started`);
    return under;
  }
  const done = installOnce(dir, what, progress, install).finally(() => installing.delete(dir));
  installing.set(dir, done);
  return done;
}

async function installOnce(dir: string, what: string, progress: (line: string) => void, install: (staging: string, logFile: string) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true });
  const staging = `${dir}.staging-${process.pid}`;
  const logFile = `${dir}.provision.log`;
  await rm(staging, { recursive: true, force: true });
  const started = Date.now();
  await writeFile(logFile, `provisioning ${what} into ${dir}, ${new Date().toISOString()}\n`);
  progress(`provisioning ${what} into ${dir} (first run only; log: ${logFile})`);
  try {
    await mkdir(staging, { recursive: true });
    await install(staging, logFile);
    await writeFile(path.join(staging, '.complete'), `${new Date().toISOString()}\n`);
    try {
      await rename(staging, dir);
    } catch (cause) {
      // Another run finished first; theirs is as good as ours.
      if (!existsSync(path.join(dir, '.complete'))) throw cause;
      await rm(staging, { recursive: true, force: true });
    }
  } catch (cause) {
    await rm(staging, { recursive: true, force: true });
    if (cause instanceof HarnessError) throw cause;
    throw new HarnessError(`provisioning ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  progress(`${what} ready (provisioned in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

export interface InstallCommandOptions {
  env?: NodeJS.ProcessEnv;
  /** What the step is, for its live line ("matrix-synapse 1.163.2: pip install"): names the target. */
  step: string;
  /** Where the tool's whole output goes (appended); named in the error if the step fails. */
  logFile: string;
  /** Output lines worth showing on the step's live line (the rest only goes to the log). */
  interesting: RegExp;
  /** The board of the step's live line (default: stderr's). */
  board?: StatusBoard;
  /** How often the live line's elapsed time moves while the tool is quiet (a long compile). */
  tickMs?: number;
}

/**
 * Runs one install step (pip, go install): its output goes to `logFile`, the
 * console gets one live line (the step, its latest interesting output line,
 * elapsed time), dropped when the step ends. Rejects with the tool's last
 * output line, its exit code and the log's path.
 */
export function runInstallCommand(command: string, args: string[], options: InstallCommandOptions): Promise<void> {
  const board = options.board ?? stderrBoard;
  const key = `install ${options.step}`;
  return new Promise((resolve, reject) => {
    appendFileSync(options.logFile, `$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    const started = Date.now();
    let tail = '';
    let latest = '';
    const show = () => board.set(key, `${options.step} (${clockText(Date.now() - started)})${latest ? `: ${latest}` : ''}`);
    show();
    const ticker = setInterval(show, options.tickMs ?? 1_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      appendFileSync(options.logFile, text);
      tail = (tail + text).slice(-2_000);
      const lines = text.split('\n').map((line) => line.trim()).filter((line) => options.interesting.test(line));
      if (lines.length === 0) return;
      latest = lines.at(-1)!.slice(0, 120);
      show();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const end = () => {
      clearInterval(ticker);
      board.drop(key);
    };
    child.on('error', (cause) => {
      end();
      reject(cause);
    });
    child.on('exit', (code) => {
      end();
      if (code === 0) resolve();
      else reject(new HarnessError(`${path.basename(command)} ${args.slice(0, 3).join(' ')} exited with ${code}: ${tail.trim().split('\n').pop() ?? ''} (full output: ${options.logFile})`));
    });
  });
}
