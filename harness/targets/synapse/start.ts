import { randomBytes } from 'node:crypto';
import { registerSecret } from '../../redact.js';
import { bootEmbeddedServer } from '../boot.js';
import { freePort } from '../managed-process.js';
import type { StartOptions, StartedServer } from '../definition.js';
import { BCRYPT_ROUNDS_ENV, LOW_BCRYPT_ROUNDS, RATE_LIMITS_ENV, bcryptRounds, rateLimits, writeSynapseConfig, writeSynapseFederationConfig } from './config.js';
import { provisionSynapse } from './provision.js';
import { SYNAPSE_TIMINGS, SYNAPSE_VERSION } from './timings.js';

/** For tests that boot a Synapse of their own (a url target's server). */
export interface SynapseTestOptions {
  /** Further config files, given after the rendered one (e.g. registration with a token). */
  extraConfigPaths?: string[];
}

const READY_TIMEOUT_MS = 90_000;
const SERVER_NAME = 'conformance.localhost';

/**
 * The embedded default target: a pinned Synapse from PyPI with presence
 * timers shortened, bound to 127.0.0.1 on a free port, with a random
 * registration shared secret for this run only.
 */
export async function startSynapse(options: StartOptions & SynapseTestOptions): Promise<StartedServer> {
  const python = await provisionSynapse(SYNAPSE_VERSION, options.progress);
  const rounds = bcryptRounds();
  if (rounds !== LOW_BCRYPT_ROUNDS) options.progress(`Synapse with bcrypt_rounds ${rounds} (${BCRYPT_ROUNDS_ENV}), not the embedded target's ${LOW_BCRYPT_ROUNDS}`);
  const limits = rateLimits();
  if (limits === 'default') options.progress(`Synapse with its default rate limits (${RATE_LIMITS_ENV}=default), not the embedded target's generous ones`);
  const port = await freePort();
  const secret = randomBytes(24).toString('hex');
  registerSecret(secret);
  const serverName = options.federation?.serverName ?? SERVER_NAME;
  const configPath = await writeSynapseConfig({
    dataDir: options.workDir,
    serverName,
    port,
    registrationSecret: secret,
    timings: SYNAPSE_TIMINGS,
    presenceEnabled: !options.presenceDisabled,
    bcryptRounds: rounds,
    rateLimits: limits,
    federation: options.federation,
  });
  const configPaths = [configPath];
  if (options.federation) configPaths.push(await writeSynapseFederationConfig(options.workDir, port, options.federation));
  configPaths.push(...(options.extraConfigPaths ?? []));
  const baseUrl = `http://127.0.0.1:${port}`;
  const { server, startedAt, readyAt } = await bootEmbeddedServer(options, {
    product: 'Synapse',
    version: SYNAPSE_VERSION,
    python,
    command: python,
    args: ['-m', 'synapse.app.homeserver', ...configPaths.flatMap((file) => ['--config-path', file])],
    baseUrl,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  return {
    baseUrl,
    serverName,
    serverVersion: `Synapse ${SYNAPSE_VERSION}${options.presenceDisabled ? ' (presence disabled)' : ''}${rounds !== LOW_BCRYPT_ROUNDS ? ` (bcrypt_rounds ${rounds})` : ''}${limits === 'default' ? ' (default rate limits)' : ''}`,
    registration: { kind: 'shared-secret', secret },
    timings: SYNAPSE_TIMINGS,
    startedAt,
    readyAt,
    logFile: options.logFile,
    stop: () => server.stop(),
  };
}
