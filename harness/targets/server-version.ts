import { request } from 'undici';

/**
 * Asks a homeserver for its implementation and version, trying the
 * federation version endpoint and Synapse's admin endpoint. Best effort:
 * "unknown" rather than a failure, since neither is mandatory on a client port.
 */
export async function discoverServerVersion(baseUrl: string): Promise<string> {
  const attempts: Array<[string, (body: Record<string, unknown>) => string | undefined]> = [
    ['/_matrix/federation/v1/version', (b) => {
      const server = b.server as { name?: string; version?: string } | undefined;
      return server?.name ? `${server.name} ${server.version ?? ''}`.trim() : undefined;
    }],
    ['/_synapse/admin/v1/server_version', (b) => (typeof b.server_version === 'string' ? `Synapse ${b.server_version}` : undefined)],
  ];
  for (const [path, read] of attempts) {
    try {
      const response = await request(new URL(path, baseUrl), { method: 'GET', headersTimeout: 3_000, bodyTimeout: 3_000 });
      const text = await response.body.text();
      if (response.statusCode !== 200) continue;
      const found = read(JSON.parse(text) as Record<string, unknown>);
      if (found) return found;
    } catch {
      // Try the next endpoint.
    }
  }
  return 'unknown';
}
