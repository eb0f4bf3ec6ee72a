import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError } from '../../errors.js';
import { registerSecret } from '../../redact.js';
import { bootEmbeddedServer } from '../boot.js';
import { freePort, shimPython } from '../managed-process.js';
import type { StartOptions, StartedServer } from '../definition.js';
import type { RegistrationMethod } from '../target.js';
import { HOW_TO_GET_TUWUNEL, hasSharedSecretRegistration, probeTuwunelBinary } from './binary.js';
import { writeTuwunelConfig } from './config.js';
import { tuwunelFederation, type TuwunelFederation } from './federation.js';
import { TUWUNEL_TIMINGS } from './timings.js';

// The debug-profile build boots in a few seconds; RocksDB's first open on a
// loaded machine can take longer.
const READY_TIMEOUT_MS = 60_000;
const SERVER_NAME = 'conformance.localhost';

/**
 * The embedded tuwunel: a binary the user supplies (no build here: its git
 * dependencies need the network), RocksDB in a fresh folder of the run's
 * work folder, federation off unless it is one server of a pair (then
 * through the harness's proxy, federation.ts), bound to 127.0.0.1 on a free port. Users are
 * registered with a random registration token (and, from tuwunel 1.7 on,
 * through the Synapse-style shared-secret endpoint); both exist for this run
 * only and are redacted from every report.
 */
export async function startTuwunel(options: StartOptions): Promise<StartedServer> {
  // The runner refuses a run without one (capabilities.binary.required); checked again for a caller that is not the runner.
  if (options.binary === undefined) throw new HarnessError(`tuwunel boots a binary you give: ${HOW_TO_GET_TUWUNEL}`);
  const binary = probeTuwunelBinary(options.binary);
  let federation: TuwunelFederation | undefined;
  if (options.federation) {
    const caFile = path.join(options.workDir, 'federation-ca.pem');
    await writeFile(caFile, options.federation.ca);
    federation = tuwunelFederation(options.federation, caFile);
  }
  const python = shimPython('the embedded tuwunel');
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  registerSecret(token);
  const secret = hasSharedSecretRegistration(binary.version) ? randomBytes(24).toString('hex') : undefined;
  if (secret) registerSecret(secret);
  const configPath = await writeTuwunelConfig({
    workDir: options.workDir,
    serverName: SERVER_NAME,
    port,
    registrationToken: token,
    registrationSharedSecret: secret,
    presenceDisabled: options.presenceDisabled,
    federation,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const { server, startedAt, readyAt } = await bootEmbeddedServer(options, {
    product: 'tuwunel',
    version: binary.version,
    python,
    command: binary.path,
    args: ['-c', configPath],
    // tuwunel reads TUWUNEL_* (and CONDUWUIT_*, CONDUIT_*) variables as config
    // keys over the file's: none of the user's may change what the run wrote.
    unsetEnv: Object.keys(process.env).filter((name) => /^(TUWUNEL|CONDUWUIT|CONDUIT)_/.test(name)),
    env: federation?.env,
    baseUrl,
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  const registration: RegistrationMethod = secret ? { kind: 'shared-secret', secret } : { kind: 'token', token };
  return {
    baseUrl,
    serverName: federation?.serverName ?? SERVER_NAME,
    serverVersion: `tuwunel ${binary.version}${options.presenceDisabled ? ' (presence disabled)' : ''}`,
    registration,
    timings: TUWUNEL_TIMINGS,
    startedAt,
    readyAt,
    logFile: options.logFile,
    stop: () => server.stop(),
  };
}
