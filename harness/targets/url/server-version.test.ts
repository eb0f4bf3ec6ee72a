import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SPEC_EXAMPLE_TIMINGS } from '../../timings.js';
import { connectUrlTarget } from './connect.js';
import { discoverServerVersion } from '../server-version.js';

/** A stand-in homeserver on 127.0.0.1 answering `routes` (path -> [status, body]), 404 otherwise. */
async function serve(routes: Record<string, [number, string]>): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((req, res) => {
    const [status, body] = routes[req.url ?? ''] ?? [404, '{"errcode":"M_UNRECOGNIZED"}'];
    res.writeHead(status).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const VERSIONS: Record<string, [number, string]> = { '/_matrix/client/versions': [200, '{"versions":["v1.2"]}'] };
// What Dendrite v0.13.8 serves at /_matrix/static/ (setup/base/static/index.gotmpl), abridged.
const DENDRITE_LANDING = '<html><body><h1>It works! Dendrite 0.13.8 is running</h1></body></html>';

describe('server version without federation', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('prefers the federation version endpoint when it is served', async () => {
    const s = await serve({ '/_matrix/federation/v1/version': [200, '{"server":{"name":"Synapse","version":"1.163.2"}}'], '/_matrix/static/': [200, DENDRITE_LANDING] });
    server = s.server;
    expect(await discoverServerVersion(s.baseUrl)).toBe('Synapse 1.163.2');
  });

  it('reads Dendrite from its landing page on the client port when federation is disabled', async () => {
    const s = await serve({ '/_matrix/static/': [200, DENDRITE_LANDING] });
    server = s.server;
    expect(await discoverServerVersion(s.baseUrl)).toBe('Dendrite 0.13.8');
  });

  it('says unknown when nothing names the server', async () => {
    const s = await serve({ '/_matrix/static/': [200, '<h1>Welcome</h1>'] });
    server = s.server;
    expect(await discoverServerVersion(s.baseUrl)).toBe('unknown');
  });

  it('lets --server-version win over what the server says', async () => {
    const s = await serve({ ...VERSIONS, '/_matrix/static/': [200, DENDRITE_LANDING] });
    server = s.server;
    const options = { baseUrl: s.baseUrl, registration: { kind: 'open' } as const, timings: SPEC_EXAMPLE_TIMINGS };
    expect((await connectUrlTarget(options)).serverVersion).toBe('Dendrite 0.13.8');
    expect((await connectUrlTarget({ ...options, serverVersion: 'Dendrite 0.13.8+patched' })).serverVersion).toBe('Dendrite 0.13.8+patched');
  });
});
