import { readCaFile, trustCa } from '../../story/client/trust.js';
import { HarnessError } from '../../errors.js';
import { probeVersions } from '../probe.js';
import type { StartedServer, UrlOptions } from '../definition.js';
import { discoverServerVersion } from '../server-version.js';
import { discoverBaseUrl } from './discover.js';

/** Answer within this, or the target counts as unreachable (the CLI promises exit 2 within 10 s). */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Connects to an already-running homeserver after checking it is one: at
 * `--base-url`, or at the base URL its server name's
 * `/.well-known/matrix/client` names; over https, trusting `--ca-file`.
 */
export async function connectUrlTarget(options: UrlOptions): Promise<StartedServer> {
  const ca = options.caFile === undefined ? undefined : { pem: await readCaFile(options.caFile), file: options.caFile };
  let given = options.baseUrl;
  if (given === undefined) {
    if (!options.serverName) throw new HarnessError('--target url needs --base-url or --server-name (see --help)');
    given = await discoverBaseUrl(options.serverName, PROBE_TIMEOUT_MS, ca);
  }
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new HarnessError(`--base-url ${JSON.stringify(given)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HarnessError(`--base-url must be http(s), got ${url.protocol}`);
  if (ca && options.baseUrl !== undefined && url.protocol !== 'https:') throw new HarnessError(`--ca-file applies to https; --base-url ${options.baseUrl} is plain http`);
  const baseUrl = url.origin;
  if (ca) trustCa(baseUrl, ca.pem);
  await probeVersions(baseUrl, PROBE_TIMEOUT_MS, options.caFile);
  return {
    baseUrl,
    serverName: options.serverName,
    serverVersion: options.serverVersion ?? (await discoverServerVersion(baseUrl)),
    registration: options.registration,
    timings: options.timings,
    startedAt: Date.now(),
    ...(ca ? { ca: ca.pem } : {}),
    stop: async () => {},
  };
}
