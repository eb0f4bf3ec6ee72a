import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mutant } from '../mutant.js';
import { FaultProxy } from '../proxy.js';
import { FakeUpstream, json } from '../../testing/fake-upstream.js';
import { SYNAPSE_TIMINGS } from '../../targets/synapse/timings.js';
import { busyFlagHidden, busyIdled, busyPutNotStored } from './tentative-busy.js';

const BUSY = 'org.matrix.msc3026.busy';
const STATUS = `/_matrix/client/v3/presence/${encodeURIComponent('@alice:hs')}/status`;

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A server that implements MSC3026 (advertises it, stores any state alice PUTs), behind a proxy injecting `mutant`. */
async function world(mutant: Mutant, idleTimeoutMs = SYNAPSE_TIMINGS.idleTimeoutMs) {
  let stored: Record<string, unknown> = { presence: 'offline' };
  const upstream = await new FakeUpstream((req, body, res) => {
    if (req.url === '/_matrix/client/versions') return json(res, 200, { versions: ['v1.16'], unstable_features: { 'org.matrix.msc3026.busy_presence': true, 'x.other': true } });
    if (req.url === '/_synapse/admin/v1/register') return json(res, 200, { user_id: '@alice:hs', access_token: 'token-alice', device_id: 'D1' });
    if (req.url === STATUS && req.method === 'PUT') {
      stored = JSON.parse(body) as Record<string, unknown>;
      return json(res, 200, {});
    }
    if (req.url === STATUS) return json(res, 200, stored);
    json(res, 404, { errcode: 'M_UNRECOGNIZED' });
  }).start();
  stops.push(() => upstream.stop());
  const proxy = await new FaultProxy({ upstream: upstream.url, behaviour: mutant.create({ timings: { ...SYNAPSE_TIMINGS, idleTimeoutMs } }) }).start();
  stops.push(() => proxy.stop());
  await request(new URL('/_synapse/admin/v1/register', proxy.url), { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }).then((r) => r.body.text());
  const call = async (method: 'GET' | 'PUT', path: string, body?: unknown) => {
    const r = await request(new URL(path, proxy.url), { method, headers: { authorization: 'Bearer token-alice', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.statusCode, body: (await r.body.json()) as Record<string, any> };
  };
  return { upstream, call };
}

describe('the MSC3026 busy mutants through the proxy', () => {
  it('busy-flag-hidden lists the flag as false and leaves the rest of /versions and busy itself alone', async () => {
    const { call } = await world(busyFlagHidden);
    expect((await call('GET', '/_matrix/client/versions')).body.unstable_features).toEqual({ 'org.matrix.msc3026.busy_presence': false, 'x.other': true });
    expect((await call('PUT', STATUS, { presence: BUSY })).status).toBe(200);
    expect((await call('GET', STATUS)).body.presence).toBe(BUSY);
  });

  it('busy-put-not-stored acknowledges busy without forwarding it, and forwards other states', async () => {
    const { call, upstream } = await world(busyPutNotStored);
    expect((await call('PUT', STATUS, { presence: 'online' })).status).toBe(200);
    expect((await call('PUT', STATUS, { presence: BUSY })).status).toBe(200);
    expect((await call('GET', STATUS)).body.presence).toBe('online');
    expect(upstream.received.filter((r) => r.method === 'PUT').map((r) => JSON.parse(r.body).presence)).toEqual(['online']);
  });

  it('busy-idled shows busy as unavailable only once the declared idle timeout has passed since she set it', async () => {
    const fresh = await world(busyIdled);
    await fresh.call('PUT', STATUS, { presence: BUSY });
    expect((await fresh.call('GET', STATUS)).body.presence).toBe(BUSY);

    const idled = await world(busyIdled, 0);
    await idled.call('PUT', STATUS, { presence: BUSY });
    expect((await idled.call('GET', STATUS)).body.presence).toBe('unavailable');
    await idled.call('PUT', STATUS, { presence: 'online' });
    expect((await idled.call('GET', STATUS)).body.presence).toBe('online');
  });
});
