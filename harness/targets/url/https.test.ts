import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTransport, closePools } from '../../story/client/http.js';
import { Recorder } from '../../story/client/recorder.js';
import { HarnessError } from '../../errors.js';
import { freePort } from '../managed-process.js';
import { probeVersions } from '../probe.js';
import { startTlsFront, writeTestCaFiles, type TlsFront } from '../../testing/tls-front.js';
import type { KeyPair } from '../../tls/test-ca.js';
import { SPEC_EXAMPLE_TIMINGS } from '../../timings.js';
import { connectUrlTarget } from './connect.js';

const VERSIONS = '{"versions":["v1.11"]}';
const options = { registration: { kind: 'open' } as const, timings: SPEC_EXAMPLE_TIMINGS };

// Stand-in homeservers over https on 127.0.0.1, their certificates signed by a
// CA made for the test: what --ca-file is for. Each case uses its own front
// (its own origin), since trust is per origin and per process.
describe('--target url over https', () => {
  let dir: string;
  let caFile: string;
  let otherCaFile: string;
  let cert: KeyPair;
  const fronts: TlsFront[] = [];
  const front = async (routes: Record<string, [number, string]>) => {
    const f = await startTlsFront(cert, routes);
    fronts.push(f);
    return f;
  };
  const homeserver = () => front({ '/_matrix/client/versions': [200, VERSIONS], '/_matrix/federation/v1/version': [200, '{"server":{"name":"Fixture","version":"9"}}'], '/_matrix/client/v3/account/whoami': [200, '{"user_id":"@a:127.0.0.1"}'] });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pc-https-'));
    ({ caFile, otherCaFile, cert } = await writeTestCaFiles(dir));
  }, 60_000);
  afterAll(async () => {
    await closePools();
    await Promise.all(fronts.map((f) => f.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('trusts --ca-file for every client of the target: the probe, the version discovery and the pool the tests use', async () => {
    const f = await homeserver();
    const target = await connectUrlTarget({ ...options, baseUrl: f.url, caFile });
    expect(target).toMatchObject({ baseUrl: f.url, serverVersion: 'Fixture 9' });
    expect(target.ca).toContain('-----BEGIN CERTIFICATE-----');
    const reply = await new HttpTransport(f.url, new Recorder()).send({ method: 'GET', path: '/_matrix/client/v3/account/whoami', actor: 'test' });
    expect(reply.status).toBe(200);
  });

  it('refuses a server whose certificate no given CA signed, in one line naming --ca-file', async () => {
    const f = await homeserver();
    await expect(connectUrlTarget({ ...options, baseUrl: f.url })).rejects.toThrow(/^https:\/\/127\.0\.0\.1:\d+: its TLS certificate is not trusted \(\w+: .*\); pass the CA that signed it with --ca-file$/);
    const g = await homeserver();
    await expect(connectUrlTarget({ ...options, baseUrl: g.url, caFile: otherCaFile })).rejects.toThrow(new RegExp(`its TLS certificate is not trusted .*the CA in --ca-file ${otherCaFile} does not verify it$`));
    // The watchdog's probe says the same, not "unreachable".
    await expect(probeVersions(f.url, 2_000)).rejects.toThrow(/its TLS certificate is not trusted/);
  });

  it('refuses a --ca-file that is missing, not PEM, or garbled, before connecting', async () => {
    const f = await homeserver();
    const notPem = path.join(dir, 'not.pem');
    const garbled = path.join(dir, 'garbled.pem');
    await writeFile(notPem, 'hello\n');
    await writeFile(garbled, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    await expect(connectUrlTarget({ ...options, baseUrl: f.url, caFile: path.join(dir, 'missing.pem') })).rejects.toThrow(/--ca-file .*missing\.pem: cannot read it \(ENOENT\)$/);
    await expect(connectUrlTarget({ ...options, baseUrl: f.url, caFile: notPem })).rejects.toThrow(/holds no PEM certificate/);
    await expect(connectUrlTarget({ ...options, baseUrl: f.url, caFile: garbled })).rejects.toThrow(/holds a certificate that does not parse/);
    await expect(connectUrlTarget({ ...options, baseUrl: 'http://127.0.0.1:9', caFile })).rejects.toThrow('--ca-file applies to https; --base-url http://127.0.0.1:9 is plain http');
  });

  it('with --server-name alone, takes the base URL from /.well-known/matrix/client (trusting --ca-file there and at the base URL)', async () => {
    const server = await homeserver();
    const discovery = await front({ '/.well-known/matrix/client': [200, JSON.stringify({ 'm.homeserver': { base_url: `https://localhost:${new URL(server.url).port}/` } })] });
    const target = await connectUrlTarget({ ...options, serverName: discovery.host, caFile });
    expect(target).toMatchObject({ baseUrl: `https://localhost:${new URL(server.url).port}`, serverName: discovery.host, serverVersion: 'Fixture 9' });
  });

  it.each([
    ['a 404 (no discovery)', [404, '{}'], /answered 404: the server publishes no client discovery \(or pass --base-url\)$/],
    ['a 500', [500, 'oops'], /answered 500/],
    ['no m.homeserver.base_url', [200, '{"m.identity_server":{"base_url":"https://id.example"}}'], /has no m\.homeserver\.base_url \(or pass --base-url\)$/],
    ['no JSON', [200, '<html>'], /is not JSON/],
    ['a base_url that is no URL', [200, '{"m.homeserver":{"base_url":"not a url"}}'], /names m\.homeserver\.base_url "not a url", not a URL/],
  ] as const)('refuses a well-known with %s, in one line', async (_, answer, message) => {
    const discovery = await front({ '/.well-known/matrix/client': [...answer] });
    const error = await connectUrlTarget({ ...options, serverName: discovery.host, caFile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect(String((error as Error).message)).toMatch(new RegExp(`^could not discover the base URL of ${discovery.host}: https://${discovery.host}/\\.well-known/matrix/client `));
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('refuses what is not a server name, before any request', async () => {
    for (const name of ['example.org/path', 'user@example.org', 'https://example.org', '']) {
      await expect(connectUrlTarget({ ...options, serverName: name })).rejects.toThrow(name ? /is not a server name \(hostname\[:port\]\)$/ : /needs --base-url or --server-name/);
    }
  });

  it('refuses an unreachable well-known, and one whose certificate is not trusted, in one line', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    await expect(connectUrlTarget({ ...options, serverName: host })).rejects.toThrow(`could not discover the base URL of ${host}: https://${host}/.well-known/matrix/client: unreachable: connection refused (or pass --base-url)`);
    const discovery = await front({ '/.well-known/matrix/client': [200, '{}'] });
    await expect(connectUrlTarget({ ...options, serverName: discovery.host, caFile: otherCaFile })).rejects.toThrow(/well-known\/matrix\/client: its TLS certificate is not trusted .*does not verify it \(or pass --base-url\)$/);
  });
});
