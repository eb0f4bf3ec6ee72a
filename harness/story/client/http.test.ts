import { MockAgent, Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../../errors.js';
import { REDACTED } from '../../redact.js';
import { HttpTransport, RequestAborted, TransportFailure } from './http.js';
import { roundTrips } from './round-trip.js';
import { Recorder } from './recorder.js';

const BASE = 'http://hs.test';

function transport() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const recorder = new Recorder();
  return { agent, recorder, http: new HttpTransport(BASE, recorder, agent), pool: agent.get(BASE) };
}

describe('HttpTransport', () => {
  let agent: MockAgent | undefined;
  afterEach(async () => agent?.close());

  it('records method, path, status, bodies and duration, with secrets redacted', async () => {
    const t = transport();
    agent = t.agent;
    t.pool.intercept({ path: '/_matrix/client/v3/login', method: 'POST' }).reply(200, { user_id: '@a:hs', access_token: 'tok-123456' });

    const reply = await t.http.send({ method: 'POST', path: '/_matrix/client/v3/login', body: { password: 'pw-123456' }, actor: 'alice', token: 'bearer-xyz' });

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ user_id: '@a:hs', access_token: 'tok-123456' });
    const [exchange] = t.recorder.exchanges;
    expect(exchange).toMatchObject({ seq: 1, actor: 'alice', method: 'POST', path: '/_matrix/client/v3/login', status: 200 });
    expect(exchange?.requestBody).toEqual({ password: REDACTED });
    expect(exchange?.responseBody).toEqual({ user_id: '@a:hs', access_token: REDACTED });
    expect(exchange?.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(t.recorder.exchanges)).not.toContain('bearer-xyz');
    expect(reply.evidence).toContain('POST /_matrix/client/v3/login -> 200');
  });

  it('ends a request in flight when its own cancel signal fires (a stopped run), not when the server answers', async () => {
    const t = transport();
    agent = t.agent;
    t.pool.intercept({ path: '/_matrix/client/v3/sync', method: 'GET' }).reply(200, {}).delay(60_000);
    const stop = new AbortController();
    const http = new HttpTransport(BASE, t.recorder, t.agent, stop.signal);
    const started = Date.now();
    setTimeout(() => stop.abort(), 50);

    await expect(http.send({ method: 'GET', path: '/_matrix/client/v3/sync', actor: 'bob', timeoutMs: 60_000 })).rejects.toThrow(RequestAborted);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('sends the access token as a bearer header and the query string', async () => {
    const t = transport();
    agent = t.agent;
    let seen: Record<string, string> = {};
    t.pool
      .intercept({ path: '/_matrix/client/v3/sync?timeout=0&set_presence=offline', method: 'GET' })
      .reply(200, (opts) => {
        seen = opts.headers as Record<string, string>;
        return { next_batch: 's1' };
      });

    await t.http.send({ method: 'GET', path: '/_matrix/client/v3/sync', query: { timeout: 0, set_presence: 'offline', since: undefined }, token: 'tok-abcdef', actor: 'bob' });

    expect(seen.authorization).toBe('Bearer tok-abcdef');
  });

  it('honours 429 retry_after_ms and records both attempts', async () => {
    const t = transport();
    agent = t.agent;
    t.pool.intercept({ path: '/x', method: 'PUT' }).reply(429, { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 120 });
    t.pool.intercept({ path: '/x', method: 'PUT' }).reply(200, {});

    const started = Date.now();
    const reply = await t.http.send({ method: 'PUT', path: '/x', body: {}, actor: 'alice' });

    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(t.recorder.exchanges.map((e) => e.status)).toEqual([429, 200]);
  });

  it('turns a transport failure into a HarnessError naming the request', async () => {
    const t = transport();
    agent = t.agent;
    t.pool.intercept({ path: '/boom', method: 'GET' }).replyWithError(new Error('socket hang up'));

    await expect(t.http.send({ method: 'GET', path: '/boom', actor: 'alice' })).rejects.toThrow(HarnessError);
  });

  it('keeps non-JSON bodies as text rather than failing', async () => {
    const t = transport();
    agent = t.agent;
    t.pool.intercept({ path: '/html', method: 'GET' }).reply(502, '<html>bad gateway</html>');

    const reply = await t.http.send({ method: 'GET', path: '/html', actor: 'alice' });

    expect(reply.status).toBe(502);
    expect(reply.body).toEqual({ nonJsonBody: '<html>bad gateway</html>' });
  });

  it('records a transport failure as an exchange without an answer', async () => {
    const t = transport();
    agent = t.agent;
    t.pool.intercept({ path: '/boom', method: 'PUT' }).replyWithError(new Error('socket hang up'));

    await expect(t.http.send({ method: 'PUT', path: '/boom', body: {}, actor: 'alice' })).rejects.toThrow(TransportFailure);
    expect(t.recorder.exchanges).toMatchObject([{ method: 'PUT', path: '/boom', status: 0, error: 'socket hang up' }]);
  });

  it('sends a request the story judges once: a 503 or a transport failure is the answer', async () => {
    const t = transport();
    agent = t.agent;
    t.pool.intercept({ path: '/judged', method: 'GET' }).reply(503, {});
    t.pool.intercept({ path: '/judged', method: 'GET' }).reply(200, {});

    expect((await t.http.send({ method: 'GET', path: '/judged', actor: 'bob' })).status).toBe(503);
    expect(t.recorder.exchanges).toHaveLength(1);
  });

  it('retries a set-up step marked retry after a transport failure and a 503, keeping every attempt in the evidence', async () => {
    const t = transport();
    agent = t.agent;
    t.pool.intercept({ path: '/join/!r', method: 'POST' }).replyWithError(new Error('other side closed'));
    t.pool.intercept({ path: '/join/!r', method: 'POST' }).reply(503, { error: 'busy' });
    t.pool.intercept({ path: '/join/!r', method: 'POST' }).reply(200, { room_id: '!r' });

    const reply = await t.http.send({ method: 'POST', path: '/join/!r', body: {}, actor: 'bob', setup: 'retry' });

    expect(reply.status).toBe(200);
    expect(t.recorder.exchanges.map((e) => [e.status, e.setup])).toEqual([[0, true], [503, true], [200, true]]);
  });

  it('sends a set-up step marked once a single time', async () => {
    const t = transport();
    agent = t.agent;
    t.pool.intercept({ path: '/createRoom', method: 'POST' }).reply(504, {});
    t.pool.intercept({ path: '/createRoom', method: 'POST' }).reply(200, { room_id: '!twice' });

    expect((await t.http.send({ method: 'POST', path: '/createRoom', body: {}, actor: 'alice', setup: 'once' })).status).toBe(504);
    expect(t.recorder.exchanges).toHaveLength(1);
  });

  it('feeds the round-trip estimate with ordinary requests only: not long polls, not set-up steps, not unauthenticated ones', async () => {
    const t = transport();
    agent = t.agent;
    const estimate = { samples: 0 };
    const observe = roundTrips.observe.bind(roundTrips);
    roundTrips.observe = (ms) => {
      estimate.samples++;
      observe(ms);
    };
    try {
      t.pool.intercept({ path: /.*/, method: 'GET' }).reply(200, {}).times(4);
      await t.http.send({ method: 'GET', path: '/presence', token: 'tok-aaaaaa', actor: 'alice' });
      await t.http.send({ method: 'GET', path: '/sync', query: { timeout: 0 }, token: 'tok-aaaaaa', actor: 'alice' });
      await t.http.send({ method: 'GET', path: '/sync', query: { timeout: 2000 }, token: 'tok-aaaaaa', actor: 'alice' });
      await t.http.send({ method: 'GET', path: '/nonce', actor: 'harness', setup: 'retry' });
    } finally {
      roundTrips.observe = observe;
    }
    expect(estimate.samples).toBe(2);
  });
});

describe('HttpTransport against a port nobody listens on', () => {
  it('does not retry a refused connection: nothing listens there', async () => {
    const recorder = new Recorder();
    const pool = new Pool('http://127.0.0.1:9');
    const http = new HttpTransport('http://127.0.0.1:9', recorder, pool);
    const started = Date.now();
    await expect(http.send({ method: 'GET', path: '/nonce', actor: 'harness', setup: 'retry' })).rejects.toMatchObject({ refused: true });
    await pool.close();
    expect(Date.now() - started).toBeLessThan(400);
    expect(recorder.exchanges).toMatchObject([{ status: 0 }]);
  });
});
