import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { registerSecret } from '../../redact.js';
import { ManagedProcess, OWNER_ENV, freePort } from '../managed-process.js';
import { waitUntilReady } from '../probe.js';
import type { StartedTarget } from '../target.js';
import { writeSynapseConfig } from './config.js';
import { provisionSynapse } from './provision.js';
import { SYNAPSE_TIMINGS, SYNAPSE_VERSION } from './timings.js';

const READY_TIMEOUT_MS = 90_000;
const SERVER_NAME = 'conformance.localhost';

export interface SynapseTargetOptions {
  /** Where homeserver.yaml, the database and the server log live. */
  workDir: string;
  logFile: string;
  progress: (line: string) => void;
  /** Tags the server process (env PRESENCE_CONFORMANCE_OWNER) so tests can prove it is gone. */
  owner: string;
  /** Receives the process as soon as it exists, so an interrupt can stop it. */
  onSpawn?: (process: ManagedProcess) => void;
  /** Boots with `presence.enabled: false` (the self-check's presence-disabled stage). */
  presenceDisabled?: boolean;
}

/**
 * The embedded default target: a pinned Synapse from PyPI with presence
 * timers shortened, bound to 127.0.0.1 on a free port, with a random
 * registration shared secret for this run only.
 */
export async function startSynapse(options: SynapseTargetOptions): Promise<StartedTarget> {
  const python = await provisionSynapse(SYNAPSE_VERSION, options.progress);
  const port = await freePort();
  const secret = randomBytes(24).toString('hex');
  registerSecret(secret);
  const configPath = await writeSynapseConfig({
    dataDir: options.workDir,
    serverName: SERVER_NAME,
    port,
    registrationSecret: secret,
    timings: SYNAPSE_TIMINGS,
    presenceEnabled: !options.presenceDisabled,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  options.progress(`starting Synapse ${SYNAPSE_VERSION} on ${baseUrl}${options.presenceDisabled ? ' with presence.enabled: false' : ''}`);
  const startedAt = Date.now();
  const server = new ManagedProcess({
    python,
    command: python,
    args: ['-m', 'synapse.app.homeserver', '--config-path', configPath],
    cwd: options.workDir,
    env: { ...process.env, [OWNER_ENV]: options.owner },
    logFile: options.logFile,
  });
  options.onSpawn?.(server);
  try {
    await waitUntilReady(baseUrl, Date.now() + READY_TIMEOUT_MS, () =>
      server.running ? undefined : `Synapse exited during start-up; see ${options.logFile}`,
    );
  } catch (cause) {
    await server.stop();
    const tail = (await readFile(options.logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-1)[0] ?? '';
    if (cause instanceof Error && tail) cause.message += ` (last log line: ${tail.slice(0, 200)})`;
    throw cause;
  }
  options.progress(`Synapse ready after ${Date.now() - startedAt} ms (log: ${path.relative(process.cwd(), options.logFile)})`);
  return {
    kind: 'synapse',
    baseUrl,
    serverName: SERVER_NAME,
    serverVersion: `Synapse ${SYNAPSE_VERSION}${options.presenceDisabled ? ' (presence disabled)' : ''}`,
    registration: { kind: 'shared-secret', secret },
    timings: SYNAPSE_TIMINGS,
    startedAt,
    logFile: options.logFile,
    stop: () => server.stop(),
  };
}
