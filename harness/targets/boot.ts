import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ManagedProcess, OWNER_ENV } from './managed-process.js';
import { waitUntilReady } from './probe.js';
import type { StartOptions } from './definition.js';

export interface BootOptions {
  /** Product name for progress lines and errors ("Synapse"). */
  product: string;
  version: string;
  /** The python that runs the parent-death shim (see ManagedProcess). */
  python: string;
  command: string;
  args: string[];
  baseUrl: string;
  readyTimeoutMs: number;
  /** Environment variables to drop from the server's environment. */
  unsetEnv?: readonly string[];
  /** Environment variables to set for the server. */
  env?: Readonly<Record<string, string>>;
}

export interface Booted {
  server: ManagedProcess;
  /** Epoch ms at which the process was spawned. */
  startedAt: number;
  /** Epoch ms at which its client API first answered. */
  readyAt: number;
}

/**
 * Spawns an embedded homeserver as a ManagedProcess owned by the run (owner
 * tag, log file, parent-death signal) and waits until its client API
 * answers; on failure stops it and adds the log's last line to the error.
 * The one way every embedded target boots.
 */
export async function bootEmbeddedServer(options: StartOptions, boot: BootOptions): Promise<Booted> {
  options.progress(`starting ${boot.product} ${boot.version} on ${boot.baseUrl}`);
  const env: NodeJS.ProcessEnv = { ...process.env, [OWNER_ENV]: options.owner };
  for (const name of boot.unsetEnv ?? []) delete env[name];
  Object.assign(env, boot.env);
  const startedAt = Date.now();
  const server = new ManagedProcess({ python: boot.python, command: boot.command, args: boot.args, cwd: options.workDir, env, logFile: options.logFile });
  options.onSpawn?.(server);
  try {
    await waitUntilReady(boot.baseUrl, Date.now() + boot.readyTimeoutMs, () =>
      server.running ? undefined : `${boot.product} exited during start-up; see ${options.logFile}`,
    );
  } catch (cause) {
    await server.stop();
    const tail = (await readFile(options.logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-1)[0] ?? '';
    if (cause instanceof Error && tail) cause.message += ` (last log line: ${tail.slice(0, 200).trimEnd()})`;
    throw cause;
  }
  const readyAt = Date.now();
  options.progress(`${boot.product} ready after ${readyAt - startedAt} ms (log: ${path.relative(process.cwd(), options.logFile)})`);
  return { server, startedAt, readyAt };
}
