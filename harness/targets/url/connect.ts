import { HarnessError } from '../../errors.js';
import { probeVersions } from '../probe.js';
import type { ExternalTargetOptions, StartedTarget } from '../target.js';
import { discoverServerVersion } from '../server-version.js';

/** Answer within this, or the target counts as unreachable (the CLI promises exit 2 within 10 s). */
const PROBE_TIMEOUT_MS = 5_000;

/** Connects to an already-running homeserver after checking it is one. */
export async function connectUrlTarget(options: ExternalTargetOptions): Promise<StartedTarget> {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new HarnessError(`--base-url ${JSON.stringify(options.baseUrl)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HarnessError(`--base-url must be http(s), got ${url.protocol}`);
  const baseUrl = url.origin;
  await probeVersions(baseUrl, PROBE_TIMEOUT_MS);
  return {
    kind: 'url',
    baseUrl,
    serverName: options.serverName,
    serverVersion: options.serverVersion ?? (await discoverServerVersion(baseUrl)),
    registration: options.registration,
    timings: options.timings,
    startedAt: Date.now(),
    stop: async () => {},
  };
}
