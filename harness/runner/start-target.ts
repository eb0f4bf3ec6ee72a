import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from '../errors.js';
import type { ManagedProcess } from '../targets/managed-process.js';
import { startSynapse } from '../targets/synapse/synapse-target.js';
import type { StartedTarget } from '../targets/target.js';
import { connectUrlTarget, type UrlTargetOptions } from '../targets/url-target.js';

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
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'presence-conformance-synapse-'));
  options.onCleanup(() => rm(workDir, { recursive: true, force: true }));
  return startSynapse({
    workDir,
    logFile: path.join(options.reportDir, 'homeserver.log'),
    owner: options.reportDir,
    progress: (line) => options.log(`[synapse] ${line}`),
    onSpawn: options.onSpawn,
  });
}
