import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from '../errors.js';
import type { ManagedProcess } from '../targets/managed-process.js';
import { startSynapse } from '../targets/synapse/synapse-target.js';
import type { StartedTarget } from '../targets/target.js';
import { connectUrlTarget, type UrlTargetOptions } from '../targets/url-target.js';

const WORK_DIR_PREFIX = 'presence-conformance-synapse-';
const OWNER_PID_FILE = 'harness.pid';

/**
 * Removes work folders left by runs that could not clean up (a SIGKILLed
 * CLI: its homeserver dies with it, but the folder with the server's secrets
 * stays). A folder is orphaned when the process that made it is gone.
 */
export async function sweepOrphanedWorkDirs(): Promise<void> {
  const entries = await readdir(os.tmpdir()).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.startsWith(WORK_DIR_PREFIX))) {
    const dir = path.join(os.tmpdir(), entry);
    const pid = Number((await readFile(path.join(dir, OWNER_PID_FILE), 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) await rm(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StartTargetOptions {
  target: 'synapse' | 'url';
  url?: UrlTargetOptions;
  /** The embedded server's log goes here as `homeserver.log`. */
  reportDir: string;
  log: (line: string) => void;
  /** Receives the homeserver process as soon as it exists, so an interrupt can stop it. */
  onSpawn?: (process: ManagedProcess) => void;
  /** Receives clean-up work (removal of the server's work folder) to run once the target is stopped. */
  onCleanup: (cleanup: () => Promise<void>) => void;
  /** Embedded Synapse only: boot it with `presence.enabled: false` (self-check stage). */
  presenceDisabled?: boolean;
}

/**
 * Starts the embedded Synapse or connects to `--target url`. Shared by `run`
 * and `selfcheck`, so both reach a target in exactly the same way.
 */
export async function startTarget(options: StartTargetOptions): Promise<StartedTarget> {
  if (options.target === 'url') {
    if (!options.url) throw new HarnessError('--target url needs --base-url');
    return connectUrlTarget(options.url);
  }
  // The server's config and database hold secrets and tokens: keep them out
  // of the report directory, and remove them when the run ends.
  await sweepOrphanedWorkDirs();
  const workDir = await mkdtemp(path.join(os.tmpdir(), WORK_DIR_PREFIX));
  await writeFile(path.join(workDir, OWNER_PID_FILE), `${process.pid}\n`);
  options.onCleanup(() => rm(workDir, { recursive: true, force: true }));
  return startSynapse({
    workDir,
    logFile: path.join(options.reportDir, 'homeserver.log'),
    owner: options.reportDir,
    progress: (line) => options.log(`[synapse] ${line}`),
    onSpawn: options.onSpawn,
    presenceDisabled: options.presenceDisabled,
  });
}

/**
 * What a command owns of the target it started: the homeserver process (from
 * the moment it exists) and the removal of its work folder. A stop requested
 * before the process exists still stops it once it does.
 */
export class TargetOwnership {
  private spawned: ManagedProcess | undefined;
  private stopping = false;
  private readonly cleanups: Array<() => Promise<void>> = [];

  /** Starts or reaches the target, keeping hold of what it spawns. */
  start(options: Omit<StartTargetOptions, 'onSpawn' | 'onCleanup'>): Promise<StartedTarget> {
    return startTarget({
      ...options,
      onCleanup: (cleanup) => this.cleanups.push(cleanup),
      onSpawn: (process) => {
        this.spawned = process;
        if (this.stopping) void process.stop();
      },
    });
  }

  /** Stops the homeserver, after `graceMs` of SIGTERM (0: at once). Idempotent. */
  async stop(graceMs?: number): Promise<void> {
    this.stopping = true;
    await this.spawned?.stop(graceMs);
  }

  /** Stops the homeserver and removes its work folder. */
  async release(): Promise<void> {
    await this.stop();
    for (const cleanup of this.cleanups.splice(0)) await cleanup().catch(() => undefined);
  }
}
