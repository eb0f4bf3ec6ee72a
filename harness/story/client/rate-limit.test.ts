import { afterEach, describe, expect, it } from 'vitest';
import { StoryBudget, type RateLimitedMeta } from '../budget.js';
import { FakeUpstream, json } from '../../testing/fake-upstream.js';
import { HttpTransport } from './http.js';
import { PresencePacer } from './presence-pacer.js';
import { limitName } from './rate-limit.js';
import { Recorder } from './recorder.js';

class RateLimitedSkip extends Error {}

/** A server that answers 429 `times` times (with `limited`'s body and headers), then 200. */
function limitedServer(times: number, limited: { body: Record<string, unknown>; headers?: Record<string, string> }) {
  let n = 0;
  return new FakeUpstream((_req, _body, res) => {
    if (n++ < times) {
      const text = JSON.stringify(limited.body);
      res.writeHead(429, { 'content-type': 'application/json', ...limited.headers });
      res.end(text);
      return;
    }
    json(res, 200, {});
  });
}

describe('rate limits are waited out, never judged', () => {
  let server: FakeUpstream | undefined;
  afterEach(async () => server?.stop());

  it('waits out every 429 as advised, with no fixed number of retries', async () => {
    server = await limitedServer(12, { body: { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 5 } }).start();
    const recorder = new Recorder();
    const reply = await new HttpTransport(server.url, recorder).send({ method: 'PUT', path: '/_matrix/client/v3/presence/%40alice%3Ahs/status', body: {}, actor: 'alice' });

    expect(reply.status).toBe(200);
    expect(recorder.exchanges).toHaveLength(13);
    expect(recorder.notes[0]).toMatch(/^alice: PUT \/_matrix\/client\/v3\/presence\/\{userId\}\/status \(M_LIMIT_EXCEEDED\): rate-limited, waited 5 ms/);
  });

  it('takes the wait from Retry-After when the body gives none', async () => {
    server = await limitedServer(1, { body: { errcode: 'M_LIMIT_EXCEEDED' }, headers: { 'retry-after': '1' } }).start();
    const started = Date.now();
    const reply = await new HttpTransport(server.url, new Recorder()).send({ method: 'POST', path: '/_matrix/client/v3/login', body: {}, actor: 'alice#2' });

    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('skips the story as rate-limited, naming the limit, when the advised wait does not fit its budget', async () => {
    server = await limitedServer(1, { body: { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 240_000 } }).start();
    let skipped: { meta: RateLimitedMeta; reason: string } | undefined;
    const budget = new StoryBudget(150_000, () => { throw new Error('not slow'); }, (meta, reason) => {
      skipped = { meta, reason };
      throw new RateLimitedSkip(reason);
    });
    const http = new HttpTransport(server.url, new Recorder(), undefined, undefined, budget);
    const started = Date.now();

    await expect(http.send({ method: 'POST', path: '/_matrix/client/v3/login', body: {}, actor: 'alice#2', setup: 'retry' })).rejects.toThrow(RateLimitedSkip);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(skipped?.reason).toBe('rate-limited: POST /_matrix/client/v3/login (M_LIMIT_EXCEEDED), retry after 240 s');
    expect(skipped?.meta).toMatchObject({ limit: 'POST /_matrix/client/v3/login (M_LIMIT_EXCEEDED)', retryAfterMs: 240_000, maxWaitMs: 150_000 });
  });

  it('admits rate-limit waits while together they fit the budget', () => {
    const reasons: string[] = [];
    const budget = new StoryBudget(10_000, () => { throw new Error('not slow'); }, (_meta, reason) => {
      reasons.push(reason);
      throw new RateLimitedSkip(reason);
    });
    const hit = { limit: 'PUT /x (M_LIMIT_EXCEEDED)', retryAfterMs: 4_000 };
    budget.admitRateLimitWait(hit);
    budget.admitRateLimitWait(hit);
    expect(() => budget.admitRateLimitWait(hit)).toThrow(RateLimitedSkip);
    expect(reasons).toEqual(['rate-limited: PUT /x (M_LIMIT_EXCEEDED), retry after 4 s']);
    expect(() => StoryBudget.unlimited.admitRateLimitWait({ ...hit, retryAfterMs: 10_000_000 })).not.toThrow();
  });

  it('names a limit the same for every user and room', () => {
    expect(limitName('POST', '/_matrix/client/v3/join/!abc%3Ahs?server_name=hs', 'M_LIMIT_EXCEEDED')).toBe('POST /_matrix/client/v3/join/{roomId} (M_LIMIT_EXCEEDED)');
    expect(limitName('PUT', '/_matrix/client/v3/presence/@bob:hs/status', '429')).toBe('PUT /_matrix/client/v3/presence/{userId}/status (429)');
    expect(limitName('PUT', '/_matrix/client/v3/rooms/!r%3Ahs/send/m.room.message/pc1796405110735.14', 'M_LIMIT_EXCEEDED')).toBe('PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId} (M_LIMIT_EXCEEDED)');
  });
});

describe('presence changes are paced per user', () => {
  const pace = { intervalMs: 300, limit: 'PUT /_matrix/client/v3/presence/{userId}/status (M_LIMIT_EXCEEDED)' };

  it('spaces one user\'s PUTs by the measured interval, and notes the delay', async () => {
    const pacer = new PresencePacer(pace);
    const recorder = new Recorder();
    await pacer.beforePut('online', recorder, 'alice');
    const started = Date.now();
    await pacer.beforePut('unavailable', recorder, 'alice#2');
    expect(Date.now() - started).toBeGreaterThanOrEqual(pace.intervalMs);
    expect(recorder.notes).toHaveLength(1);
    expect(recorder.notes[0]).toMatch(/^alice#2: presence PUT paced: waited \d+ ms \(the server allows one presence change per 300 ms per user/);
  });

  it('paces a /sync whose set_presence changes the state, not one that keeps it, and holds the user\'s other syncs meanwhile', async () => {
    const pacer = new PresencePacer(pace);
    const recorder = new Recorder();
    await pacer.beforeSync('online', recorder, 'alice');
    let started = Date.now();
    await pacer.beforeSync(undefined, recorder, 'alice');
    expect(Date.now() - started).toBeLessThan(100);
    started = Date.now();
    const order: string[] = [];
    const change = pacer.beforeSync('unavailable', recorder, 'alice').then(() => order.push('change'));
    const other = pacer.beforeSync('unavailable', recorder, 'alice#2').then(() => order.push('other'));
    await Promise.all([change, other]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(pace.intervalMs);
    expect(order).toEqual(['change', 'other']);
    expect(recorder.notes).toHaveLength(1);
  });

  it('does nothing on a server that rate-limits no presence change', async () => {
    const pacer = new PresencePacer(undefined);
    const recorder = new Recorder();
    const started = Date.now();
    for (const state of ['online', 'unavailable', 'online']) await pacer.beforePut(state, recorder, 'alice');
    await pacer.beforeSync('offline', recorder, 'alice');
    expect(Date.now() - started).toBeLessThan(100);
    expect(recorder.notes).toEqual([]);
  });
});
