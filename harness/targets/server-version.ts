import { request } from 'undici';
import { dispatcherFor } from '../story/client/trust.js';

interface Probe {
  path: string;
  read: (text: string) => string | undefined;
}

const json = (text: string): Record<string, unknown> => {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
};

/**
 * Where a homeserver may say what it is. The client-server API itself has no
 * version endpoint (GET /_matrix/client/versions lists spec versions only;
 * Dendrite v0.13.8's clientapi/routing/routing.go serves nothing else that
 * names the server), so these are the federation endpoint (absent when
 * federation is disabled), Synapse's unauthenticated admin endpoint, and
 * Dendrite's landing page on the client port (setup/base/base.go renders
 * "Dendrite <version> is running" at /_matrix/static/ whatever the config).
 */
const PROBES: Probe[] = [
  {
    path: '/_matrix/federation/v1/version',
    read: (text) => {
      const server = json(text).server as { name?: string; version?: string } | undefined;
      return server?.name ? `${server.name} ${server.version ?? ''}`.trim() : undefined;
    },
  },
  {
    path: '/_synapse/admin/v1/server_version',
    read: (text) => {
      const version = json(text).server_version;
      return typeof version === 'string' ? `Synapse ${version}` : undefined;
    },
  },
  {
    path: '/_matrix/static/',
    read: (text) => /\bDendrite (\d[\w.+-]*) is running\b/.exec(text)?.[1]?.replace(/^/, 'Dendrite '),
  },
];

/**
 * Asks a homeserver for its implementation and version (see PROBES). Best
 * effort: "unknown" rather than a failure, since none is mandatory; the user
 * can say it with --server-version.
 */
export async function discoverServerVersion(baseUrl: string): Promise<string> {
  for (const probe of PROBES) {
    try {
      const url = new URL(probe.path, baseUrl);
      const response = await request(url, { method: 'GET', dispatcher: dispatcherFor(url), headersTimeout: 3_000, bodyTimeout: 3_000 });
      const text = await response.body.text();
      if (response.statusCode !== 200) continue;
      const found = probe.read(text.slice(0, 100_000));
      if (found) return found;
    } catch {
      // Try the next endpoint.
    }
  }
  return 'unknown';
}
