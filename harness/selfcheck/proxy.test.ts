import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { MutantBehaviour } from './mutant.js';
import { FaultProxy, latencyDelayMs, type Latency } from './proxy.js';
import { FakeUpstream, json, miniHomeserver, type Handler } from '../testing/fake-upstream.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function setUp(handler: Handler, behaviour?: MutantBehaviour, latency?: Latency) {
  const upstream = await new FakeUpstream(handler).start();
  stops.push(() => upstream.stop());
  const proxy = await new FaultProxy({ upstream: upstream.url, behaviour, latency }).start();
  stops.push(() => proxy.stop());
  return { upstream, proxy };
}

async function call(base: string, method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown, token?: string, signal?: AbortSignal) {
  const response = await request(new URL(path, base), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

describe('FaultProxy without a mutant', () => {
  it('listens on 127.0.0.1 only', async () => {
    const { proxy } = await setUp((_req, _body, res) => json(res, 200, {}));
    expect(new URL(proxy.url).hostname).toBe('127.0.0.1');
  });

  it('forwards method, path, query, body and bearer token, and answers byte for byte', async () => {
    const { upstream, proxy } = await setUp((_req, _body, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-extra': 'kept' });
      res.end('{"a": 1,  "spacing":"kept"}');
    });

    const reply = await call(proxy.url, 'PUT', '/_matrix/client/v3/presence/%40a%3Ahs/status?x=1&y=%20', { presence: 'online', status_msg: 'hi' }, 'tok-abc');

    expect(reply).toMatchObject({ status: 201, text: '{"a": 1,  "spacing":"kept"}' });
    expect(reply.headers['x-extra']).toBe('kept');
    expect(upstream.received).toEqual([
      { method: 'PUT', url: '/_matrix/client/v3/presence/%40a%3Ahs/status?x=1&y=%20', authorization: 'Bearer tok-abc', body: '{"presence":"online","status_msg":"hi"}', aborted: false },
    ]);
  });

  it('waits as long as a long-polling /sync takes and streams a body that arrives in pieces', async () => {
    const { proxy } = await setUp((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"next_batch":');
      setTimeout(() => res.end('"s2","presence":{"events":[]}}'), 1_200);
    });

    const started = Date.now();
    const reply = await call(proxy.url, 'GET', '/_matrix/client/v3/sync?timeout=30000');

    expect(Date.now() - started).toBeGreaterThanOrEqual(1_100);
    expect(JSON.parse(reply.text)).toEqual({ next_batch: 's2', presence: { events: [] } });
  });

  it('aborts the upstream request when the client goes away mid-long-poll', async () => {
    const { upstream, proxy } = await setUp(miniHomeserver({ syncDelayMs: 10_000 }).handler);

    await expect(call(proxy.url, 'GET', '/_matrix/client/v3/sync?timeout=10000', undefined, 'token-a', AbortSignal.timeout(300))).rejects.toThrow();

    await expect.poll(() => upstream.received[0]?.aborted, { timeout: 3_000 }).toBe(true);
  });

  it('answers 502 with a Matrix error when the server cannot be reached', async () => {
    const upstream = await new FakeUpstream((_req, _body, res) => json(res, 200, {})).start();
    const url = upstream.url;
    await upstream.stop();
    const proxy = await new FaultProxy({ upstream: url }).start();
    stops.push(() => proxy.stop());

    const reply = await call(proxy.url, 'GET', '/_matrix/client/versions');

    expect(reply.status).toBe(502);
    expect(JSON.parse(reply.text).errcode).toBe('M_UNKNOWN');
  });
});

describe('FaultProxy hooks', () => {
  it('lets a behaviour answer in place of the server, rewrite a request, and rewrite a JSON answer', async () => {
    const behaviour: MutantBehaviour = {
      request(req, context) {
        if (req.route === 'presence-put' && (req.json as { presence?: string }).presence === 'free_for_chat') {
          context.fired('answered');
          return { status: 200, json: {} };
        }
        if (req.route === 'sync') req.url.searchParams.delete('set_presence');
        if (req.route === 'presence-put') (req.json as Record<string, unknown>).status_msg = 'rewritten';
      },
      wantsResponse: (req) => req.route === 'presence-get',
      response(req, res, context) {
        expect(req.requester).toBe('@alice:hs');
        (res.json as Record<string, unknown>).presence = 'free_for_chat';
        context.fired('rewritten');
      },
    };
    const { upstream, proxy } = await setUp(miniHomeserver().handler, behaviour);
    await call(proxy.url, 'POST', '/_synapse/admin/v1/register', { username: 'alice' });

    expect((await call(proxy.url, 'PUT', '/_matrix/client/v3/presence/@alice:hs/status', { presence: 'free_for_chat' }, 'token-alice')).status).toBe(200);
    await call(proxy.url, 'PUT', '/_matrix/client/v3/presence/@alice:hs/status', { presence: 'online', status_msg: 'original' }, 'token-alice');
    await call(proxy.url, 'GET', '/_matrix/client/v3/sync?set_presence=offline&timeout=0', undefined, 'token-alice');
    const got = JSON.parse((await call(proxy.url, 'GET', '/_matrix/client/v3/presence/@alice:hs/status', undefined, 'token-alice')).text);

    expect(got).toMatchObject({ presence: 'free_for_chat', status_msg: 'rewritten' });
    const paths = upstream.received.map((r) => `${r.method} ${r.url} ${r.body}`);
    expect(paths).toEqual([
      'POST /_synapse/admin/v1/register {"username":"alice"}',
      'PUT /_matrix/client/v3/presence/@alice:hs/status {"presence":"online","status_msg":"rewritten"}',
      'GET /_matrix/client/v3/sync?timeout=0 ',
      'GET /_matrix/client/v3/presence/@alice:hs/status ',
    ]);
    expect(proxy.injected).toEqual({ answered: 1, rewritten: 1 });
  });

  it('asks the server who a token belongs to when it did not see it issued', async () => {
    const seen: Array<string | undefined> = [];
    const { upstream, proxy } = await setUp(miniHomeserver().handler, { request: (req) => void seen.push(req.requester) });

    await call(proxy.url, 'GET', '/_matrix/client/v3/sync', undefined, 'token-bob');
    await call(proxy.url, 'GET', '/_matrix/client/v3/sync', undefined, 'token-bob');

    expect(seen).toEqual(['@bob:hs', '@bob:hs']);
    expect(upstream.received.filter((r) => r.url.endsWith('/whoami'))).toHaveLength(1);
  });
});

describe('FaultProxy in latency mode', () => {
  it('draws each delay uniformly from delay ± jitter, never below 0', () => {
    const at = (u: number, latency: Omit<Latency, 'random'>) => latencyDelayMs({ ...latency, random: () => u });
    expect([0, 0.25, 0.5, 0.75, 0.999].map((u) => Math.round(at(u, { delayMs: 250, jitterMs: 250 })))).toEqual([0, 125, 250, 375, 500]);
    expect(at(0, { delayMs: 100, jitterMs: 300 })).toBe(0);
    const draws = Array.from({ length: 2_000 }, () => latencyDelayMs({ delayMs: 250, jitterMs: 250 }));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(500);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(230);
    expect(mean).toBeLessThan(270);
  });

  it('delays every response, streamed, learned from or answered by a mutant, and forwards it byte for byte', async () => {
    const latency = { delayMs: 300, jitterMs: 100, random: () => 0.5 };
    const behaviour: MutantBehaviour = { request: (req) => (req.url.pathname === '/refused' ? { status: 403, json: { errcode: 'M_FORBIDDEN' } } : undefined) };
    const { proxy } = await setUp((req, _body, res) => {
      if (req.url?.startsWith('/_matrix/client/v3/login')) return json(res, 200, { user_id: '@a:hs', access_token: 'tok-a' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"a":  1}');
    }, behaviour, latency);

    for (const [method, path, expected] of [
      ['GET', '/streamed', { status: 200, text: '{"a":  1}' }],
      ['POST', '/_matrix/client/v3/login', { status: 200 }],
      ['GET', '/refused', { status: 403 }],
    ] as const) {
      const started = Date.now();
      const reply = await call(proxy.url, method, path, method === 'POST' ? {} : undefined);
      expect(reply, path).toMatchObject(expected);
      expect(Date.now() - started, path).toBeGreaterThanOrEqual(295);
    }
  });

  it('adds nothing without latency mode', async () => {
    const { proxy } = await setUp((_req, _body, res) => json(res, 200, {}));
    const started = Date.now();
    await call(proxy.url, 'GET', '/x');
    expect(Date.now() - started).toBeLessThan(250);
  });
});
