import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from '../errors.js';

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
 * progress lines and errors.
 */
export async function provisionCached(
  dir: string,
  what: string,
  progress: (line: string) => void,
  install: (staging: string) => Promise<void>,
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

async function installOnce(dir: string, what: string, progress: (line: string) => void, install: (staging: string) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true });
  const staging = `${dir}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const started = Date.now();
  progress(`provisioning ${what} into ${dir} (first run only)`);
  try {
    await mkdir(staging, { recursive: true });
    await install(staging);
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
  progress: (line: string) => void;
  /** Output lines worth passing on as progress (the rest only feeds the error tail). */
  interesting: RegExp;
  /** Say "still working" this often when the tool is quiet (a long compile). */
  heartbeatMs?: number;
}

/** Runs one install step (pip, go install); rejects with the tool's last output line. */
export function runInstallCommand(command: string, args: string[], options: InstallCommandOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    const started = Date.now();
    let tail = '';
    let lastProgress = Date.now();
    const say = (line: string) => {
      lastProgress = Date.now();
      options.progress(line);
    };
    const heartbeat = options.heartbeatMs
      ? setInterval(() => {
          if (Date.now() - lastProgress >= options.heartbeatMs!) say(`still running ${path.basename(command)} ${args[0] ?? ''} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
        }, 1_000)
      : undefined;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-2_000);
      for (const line of text.split('\n')) {
        if (options.interesting.test(line.trim())) say(line.trim().slice(0, 160));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (cause) => {
      clearInterval(heartbeat);
      reject(cause);
    });
    child.on('exit', (code) => {
      clearInterval(heartbeat);
      if (code === 0) resolve();
      else reject(new HarnessError(`${path.basename(command)} ${args.slice(0, 3).join(' ')} exited with ${code}: ${tail.trim().split('\n').pop() ?? ''}`));
    });
  });
}
