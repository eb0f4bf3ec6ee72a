import { randomBytes } from 'node:crypto';
import { registerSecret } from '../../redact.js';
import { bootEmbeddedServer } from '../boot.js';
import { freePort, shimPython } from '../managed-process.js';
import type { StartOptions, StartedServer } from '../definition.js';
import { writeDendriteConfig, writeDendriteFederationFiles } from './config.js';
import { provisionDendrite } from './provision.js';
import { DENDRITE_TIMINGS, DENDRITE_VERSION } from './timings.js';
import { dendriteBinaryVersion } from './version.js';

const READY_TIMEOUT_MS = 60_000;
const SERVER_NAME = 'conformance.localhost';

/**
 * The embedded Dendrite: matrix-org's v0.13.8 built from source into the
 * per-user cache, SQLite in the run's work folder, federation off, bound to
 * 127.0.0.1 on a free port, with a random registration shared secret for
 * this run only. Its presence timers are fixed in its code (timings.ts).
 * With `binary` (`--binary`: a Dendrite developer's own build) that binary
 * boots instead, configured the same way, and names its own version.
 */
export async function startDendrite(options: StartOptions): Promise<StartedServer> {
  const binary = options.binary ?? await provisionDendrite(DENDRITE_VERSION, options.progress);
  const version = dendriteBinaryVersion(binary, options.binary !== undefined);
  const python = shimPython('the embedded Dendrite');
  const port = await freePort();
  const secret = randomBytes(24).toString('hex');
  registerSecret(secret);
  const { federation } = options;
  const serverName = federation?.serverName ?? SERVER_NAME;
  const configPath = await writeDendriteConfig({ dataDir: options.workDir, serverName, registrationSecret: secret, federation });
  const tls = federation ? await writeDendriteFederationFiles(options.workDir, federation) : undefined;
  const baseUrl = `http://127.0.0.1:${port}`;
  const { server, startedAt, readyAt } = await bootEmbeddedServer(options, {
    product: 'Dendrite',
    version,
    python,
    command: binary,
    args: [
      '--config', configPath, '--http-bind-address', `127.0.0.1:${port}`,
      ...(federation && tls ? ['--https-bind-address', `127.0.0.1:${federation.federationPort}`, '--tls-cert', tls.cert, '--tls-key', tls.key] : []),
    ],
    // Its federation client trusts the run's CA and nothing else.
    env: tls ? { SSL_CERT_FILE: tls.ca, SSL_CERT_DIR: '' } : undefined,
    baseUrl,
    readyTimeoutMs: READY_TIMEOUT_MS,
    // Would open a pprof listener (internal/log.go: SetupPprof) on whatever address it names.
    unsetEnv: ['PPROFLISTEN'],
  });
  return {
    baseUrl,
    serverName,
    serverVersion: `Dendrite ${version}`,
    registration: { kind: 'shared-secret', secret },
    timings: DENDRITE_TIMINGS,
    startedAt,
    readyAt,
    logFile: options.logFile,
    stop: () => server.stop(),
  };
}
