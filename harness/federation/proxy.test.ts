import { createPrivateKey, createPublicKey, randomBytes, verify } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { freePort } from '../targets/managed-process.js';
import { issueServerCert, makeTestCa, type KeyPair } from '../tls/test-ca.js';
import { FederationProxy, type ProxiedServer } from './proxy.js';
import { publicKeyOf } from './x-matrix.js';

/** A stand-in homeserver federation listener (plain HTTP without `tls`): answers 200 {} and keeps what it got. */
async function fakeServer(tls?: KeyPair) {
  const got: Array<{ method?: string; url?: string; authorization?: string; body: string; at: number; answeredAt?: number }> = [];
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const entry = { method: req.method, url: req.url, authorization: req.headers.authorization, body, at: Date.now(), answeredAt: undefined as number | undefined };
      got.push(entry);
      // A transaction named "slow" takes 300 ms to process.
      setTimeout(() => {
        entry.answeredAt = Date.now();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      }, req.url?.includes('slow') ? 300 : 0);
    });
  };
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handle) : http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, got, port: (server.address() as AddressInfo).port };
}

/** Whether a request the fake server got carries `origin`'s valid X-Matrix signature over its body. */
function verifies(got: { url?: string; authorization?: string; body: string }, origin: ProxiedServer, destination: string): boolean {
  const sig = /sig="([^"]+)"/.exec(got.authorization ?? '')?.[1];
  if (!sig) return false;
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), origin.signingKey.seed]);
  const publicKey = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
  const signed = canonicalJson({ method: 'PUT', uri: got.url, origin: origin.name, destination, content: JSON.parse(got.body) as unknown });
  return verify(null, Buffer.from(signed), publicKey, Buffer.from(sig, 'base64'));
}

describe('FederationProxy', () => {
  let ca: KeyPair;
  let tls: KeyPair;
  let hs1: Awaited<ReturnType<typeof fakeServer>>;
  let hs2: Awaited<ReturnType<typeof fakeServer>>;
  let proxy: FederationProxy;
  let servers: [ProxiedServer, ProxiedServer];
  let client: Agent;

  beforeAll(async () => {
    ca = await makeTestCa();
    tls = await issueServerCert(ca, ['IP:127.0.0.1']);
    hs1 = await fakeServer(tls);
    hs2 = await fakeServer(tls);
    const [p1, p2] = [await freePort(), await freePort()];
    servers = [
      { name: `127.0.0.1:${p1}`, listenPort: p1, upstreamPort: hs1.port, signingKey: { keyId: 'ed25519:a_pc', seed: randomBytes(32) } },
      { name: `127.0.0.1:${p2}`, listenPort: p2, upstreamPort: hs2.port, signingKey: { keyId: 'ed25519:a_pc', seed: randomBytes(32) } },
    ];
    proxy = await FederationProxy.start({ servers, tls, ca: ca.cert });
    client = new Agent({ connect: { ca: ca.cert } });
  }, 30_000);

  afterAll(async () => {
    await proxy.close();
    await client.close();
    hs1.server.close();
    hs2.server.close();
  });

  it('forwards a transaction to the server its port fronts, over TLS verified against the run\'s CA, and records its EDUs', async () => {
    const txn = { origin: servers[0].name, origin_server_ts: 1, pdus: [], edus: [{ edu_type: 'm.presence', content: { push: [] } }] };
    const response = await request(`https://127.0.0.1:${servers[1].listenPort}/_matrix/federation/v1/send/t%201`, { method: 'PUT', dispatcher: client, body: JSON.stringify(txn), headers: { authorization: 'X-Matrix whatever' } });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({});
    expect(hs2.got.at(-1)).toMatchObject({ method: 'PUT', url: '/_matrix/federation/v1/send/t%201', authorization: 'X-Matrix whatever', body: JSON.stringify(txn) });
    expect(hs1.got).toHaveLength(0);
    expect(proxy.transactions()).toEqual([expect.objectContaining({ txnId: 't 1', origin: servers[0].name, destination: servers[1].name, edus: txn.edus, pduCount: 0, status: 200, injected: false })]);
    // The bench's link figures: one EDU, the request's body and the answer's `{}` (2 bytes).
    expect(proxy.traffic).toEqual({ edus: 1, bytes: JSON.stringify(txn).length + 2 });
  });

  it('records what a tamper makes a server send, delivers what another makes of it, re-signed in the origin\'s name, and stops when removed', async () => {
    const push = (presence: string) => [{ edu_type: 'm.presence', content: { push: [{ user_id: '@a:x', presence }] } }];
    const remove = proxy.tamper({
      sent: (route, edus) => (route.origin === servers[0].name ? push('free_for_chat') : undefined),
      delivered: (route, edus) => (route.destination === servers[1].name ? [...edus, { edu_type: 'm.typing', content: {} }] : undefined),
    });
    const txn = { origin: servers[0].name, origin_server_ts: 1, pdus: [], edus: push('online') };
    const response = await request(`https://127.0.0.1:${servers[1].listenPort}/_matrix/federation/v1/send/t2`, { method: 'PUT', dispatcher: client, body: JSON.stringify(txn), headers: { authorization: 'X-Matrix original' } });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    remove();

    expect(proxy.transactions().at(-1)).toMatchObject({ txnId: 't2', edus: push('free_for_chat') });
    const got = hs2.got.at(-1)!;
    const delivered = JSON.parse(got.body) as typeof txn;
    expect(delivered).toEqual({ ...txn, edus: [...push('free_for_chat'), { edu_type: 'm.typing', content: {} }] });
    expect(verifies(got, servers[0], servers[1].name)).toBe(true);

    const untouched = await request(`https://127.0.0.1:${servers[1].listenPort}/_matrix/federation/v1/send/t3`, { method: 'PUT', dispatcher: client, body: JSON.stringify(txn), headers: { authorization: 'X-Matrix original' } });
    await untouched.body.dump();
    expect(hs2.got.at(-1)).toMatchObject({ authorization: 'X-Matrix original', body: JSON.stringify(txn) });
  });

  it('holds an injected transaction until the one the origin has in flight to the same server is answered (no 429 for the real sender)', async () => {
    const txn = { origin: servers[0].name, origin_server_ts: 1, pdus: [], edus: [] };
    const real = request(`https://127.0.0.1:${servers[1].listenPort}/_matrix/federation/v1/send/slow1`, { method: 'PUT', dispatcher: client, body: JSON.stringify(txn), headers: { authorization: 'X-Matrix real' } });
    await new Promise((resolve) => setTimeout(resolve, 50));

    const injected = await proxy.inject(servers[0].name, servers[1].name, []);
    await (await real).body.dump();

    expect(injected).toBe(200);
    const slow = hs2.got.find((g) => g.url?.endsWith('/slow1'))!;
    const mine = hs2.got.at(-1)!;
    expect(mine.url).toMatch(/pc-injected-/);
    expect(mine.at).toBeGreaterThanOrEqual(slow.answeredAt!);
  });

  it('injects a transaction in one server\'s name, signed with its key, and serves the record to workers', async () => {
    const edus = [{ edu_type: 'm.presence', content: { push: [{ user_id: '@mallory:elsewhere', presence: 'online', last_active_ago: 1 }] } }];
    const control = await request(`${proxy.controlUrl}/inject`, { method: 'POST', body: JSON.stringify({ from: servers[0].name, to: servers[1].name, edus }) });
    const answer = (await control.body.json()) as { status: number; txnId: string };
    expect(answer).toEqual({ status: 200, txnId: expect.stringMatching(/^pc-injected-/) });
    const got = hs2.got.at(-1)!;
    const sent = JSON.parse(got.body) as { origin: string; edus: unknown };
    expect(sent).toMatchObject({ origin: servers[0].name, edus });
    expect(verifies(got, servers[0], servers[1].name)).toBe(true);
    const record = await (await request(`${proxy.controlUrl}/transactions`)).body.json() as Array<{ injected: boolean }>;
    expect(record.at(-1)).toMatchObject({ injected: true, status: 200, txnId: answer.txnId });
  });
});

describe('FederationProxy in front of a server without TLS of its own', () => {
  it('presents the run\'s certificate in its name, forwards over plain HTTP (upstreamScheme http) and publishes the harness\'s key in its name (publishesHarnessKey)', async () => {
    const ca = await makeTestCa();
    const tls = await issueServerCert(ca, ['IP:127.0.0.1']);
    const [tlsServer, plain] = [await fakeServer(tls), await fakeServer()];
    const [p1, p2] = [await freePort(), await freePort()];
    const servers: [ProxiedServer, ProxiedServer] = [
      { name: `127.0.0.1:${p1}`, listenPort: p1, upstreamPort: tlsServer.port, signingKey: { keyId: 'ed25519:a_pc', seed: randomBytes(32) } },
      { name: `127.0.0.1:${p2}`, listenPort: p2, upstreamPort: plain.port, upstreamScheme: 'http', publishesHarnessKey: true, signingKey: { keyId: 'ed25519:a_pc', seed: randomBytes(32) } },
    ];
    const proxy = await FederationProxy.start({ servers, tls, ca: ca.cert });
    const client = new Agent({ connect: { ca: ca.cert } });
    try {
      const reply = await request(`https://127.0.0.1:${p2}/_matrix/key/v2/server`, { dispatcher: client });
      expect(reply.statusCode).toBe(200);
      // publishesHarnessKey: the listing it publishes carries the harness's key, signed with it.
      const listing = (await reply.body.json()) as { verify_keys: Record<string, { key: string }>; signatures: Record<string, Record<string, string>> };
      expect(listing.verify_keys['ed25519:a_pc']).toEqual({ key: publicKeyOf(servers[1].signingKey) });
      expect(Object.keys(listing.signatures[servers[1].name] ?? {})).toEqual(['ed25519:a_pc']);
      expect(plain.got.at(-1)).toMatchObject({ method: 'GET', url: '/_matrix/key/v2/server' });
      expect(await proxy.inject(servers[0].name, servers[1].name, [])).toBe(200);
      expect(plain.got.at(-1)?.authorization).toContain(`origin="${servers[0].name}"`);
      expect(plain.got.at(-1)?.url).toMatch(/^\/_matrix\/federation\/v1\/send\/pc-injected-/);
    } finally {
      await proxy.close();
      await client.close();
      await Promise.all([tlsServer.server, plain.server].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });
});
