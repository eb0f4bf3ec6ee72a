import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mutant } from '../mutant.js';
import { restrictToUsers } from '../mutant.js';
import { FaultProxy } from '../proxy.js';
import { FakeUpstream, miniHomeserver } from '../../testing/fake-upstream.js';
import { MUTANTS } from './catalogue.js';
import { caRepeatsLaaUpdates } from './currently-active.js';
import { ffcPutAccepted } from './free-for-chat.js';
import { neverIdle, noWakeFromOtherDevice } from './idle-timeout.js';
import { laaFrozen } from './last-active.js';
import { putOtherUser } from './put.js';
import { syncIgnoresOffline } from './sync.js';
import { getLeaksToNonSharer, presenceDoesNotWakeSync, syncLeaksToNonSharer } from './visibility.js';
import { noPresenceInSync, presenceDisabled } from './wholesale.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A mini homeserver behind a proxy injecting `mutant`, with `users` registered through the proxy. */
async function world(mutant: Mutant, users: string[], options: Parameters<typeof miniHomeserver>[0] = {}) {
  const hs = miniHomeserver(options);
  const upstream = await new FakeUpstream(hs.handler).start();
  stops.push(() => upstream.stop());
  const proxy = await new FaultProxy({ upstream: upstream.url, behaviour: mutant.create() }).start();
  stops.push(() => proxy.stop());
  const as = (name: string) => async (method: 'GET' | 'PUT', path: string, body?: unknown) => {
    const response = await request(new URL(path, proxy.url), {
      method,
      headers: { authorization: `Bearer token-${name}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.statusCode, body: (await response.body.json()) as Record<string, any> };
  };
  for (const name of users) {
    await request(new URL('/_synapse/admin/v1/register', proxy.url), { method: 'POST', body: JSON.stringify({ username: name }), headers: { 'content-type': 'application/json' } }).then((r) => r.body.text());
  }
  return { hs, upstream, proxy, as };
}

const status = (user: string) => `/_matrix/client/v3/presence/${encodeURIComponent(`@${user}:hs`)}/status`;

describe('the mutant catalogue', () => {
  it('has at least 12 distinct, named mutants, each violating catalogue requirements', async () => {
    const { requirementById } = await import('../../catalogue.js');
    expect(MUTANTS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(MUTANTS.map((m) => m.name)).size).toBe(MUTANTS.length);
    for (const m of MUTANTS) {
      expect(m.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(m.violates.length, m.name).toBeGreaterThan(0);
      for (const id of m.violates) expect(() => requirementById(id)).not.toThrow();
    }
  });
});

describe('the wholesale mutants', () => {
  it('violate the delivery requirements, never a requirement silence cannot contradict', () => {
    const silent = ['PRES-VIS-NONSHARED-SYNC', 'PRES-VIS-NONSHARED-GET', 'PRES-VIS-LEAVE', 'PRES-FFC-EMIT', 'PRES-SYNC-OFFLINE', 'PRES-SCHEMA-EVENT', 'PRES-CA-SUPPRESS'];
    for (const m of [noPresenceInSync, presenceDisabled]) {
      expect(m.violates, m.name).toContain('PRES-VIS-SHARED-SYNC');
      expect(m.areas, m.name).toBeUndefined();
      for (const id of silent) expect(m.violates, `${m.name} must not claim ${id}`).not.toContain(id);
    }
    expect(presenceDisabled.violates).toEqual(expect.arrayContaining(['PRES-PUT-ROUNDTRIP', 'PRES-SYNC-DEFAULT']));
  });
});

describe('mutants through the proxy', () => {
  it('ffc-put-accepted answers PUT free_for_chat itself and reports it until a valid state is set', async () => {
    const { upstream, as } = await world(ffcPutAccepted, ['alice']);
    const alice = as('alice');

    expect((await alice('PUT', status('alice'), { presence: 'free_for_chat' })).status).toBe(200);
    expect((await alice('GET', status('alice'))).body.presence).toBe('free_for_chat');
    await alice('PUT', status('alice'), { presence: 'unavailable' });
    expect((await alice('GET', status('alice'))).body.presence).toBe('unavailable');
    expect(upstream.received.some((r) => r.body.includes('free_for_chat'))).toBe(false);
  });

  it('put-other-user executes the PUT with the named user’s own token', async () => {
    const { upstream, as } = await world(putOtherUser, ['alice', 'mallory']);

    const reply = await as('mallory')('PUT', status('alice'), { presence: 'online' });

    expect(reply.status).toBe(200);
    expect(upstream.received.at(-1)?.authorization).toBe('Bearer token-alice');
    expect((await as('alice')('GET', status('alice'))).body.presence).toBe('online');
  });

  it('sync-ignores-offline strips set_presence=offline and nothing else', async () => {
    const { upstream, as } = await world(syncIgnoresOffline, ['alice']);

    await as('alice')('GET', '/_matrix/client/v3/sync?set_presence=offline&timeout=0');
    await as('alice')('GET', '/_matrix/client/v3/sync?set_presence=unavailable&timeout=0');

    expect(upstream.received.slice(-2).map((r) => r.url)).toEqual(['/_matrix/client/v3/sync?timeout=0', '/_matrix/client/v3/sync?set_presence=unavailable&timeout=0']);
  });

  it('get-leaks-to-non-sharer turns a 403 into a 200 with what the user last set', async () => {
    const { as } = await world(getLeaksToNonSharer, ['alice', 'carol']);
    await as('alice')('PUT', status('alice'), { presence: 'unavailable', status_msg: 'away' });

    const reply = await as('carol')('GET', status('alice'));

    expect(reply).toMatchObject({ status: 200, body: { presence: 'unavailable', status_msg: 'away', currently_active: false } });
  });

  it('sync-leaks-to-non-sharer gives a user the presence others set, once per change', async () => {
    const { as } = await world(syncLeaksToNonSharer, ['alice', 'carol']);
    await as('alice')('PUT', status('alice'), { presence: 'online', status_msg: 'here' });

    const first = await as('carol')('GET', '/_matrix/client/v3/sync?timeout=0');
    const second = await as('carol')('GET', '/_matrix/client/v3/sync?timeout=0');

    expect(first.body.presence.events).toEqual([{ type: 'm.presence', sender: '@alice:hs', content: expect.objectContaining({ presence: 'online', status_msg: 'here' }) }]);
    expect(second.body.presence.events).toEqual([]);
  });

  it('presence-does-not-wake-sync holds a long-poll carrying presence until its timeout, and nothing else', async () => {
    const { hs, as } = await world(presenceDoesNotWakeSync, ['bob']);
    const timed = async (path: string) => {
      const started = Date.now();
      const reply = await as('bob')('GET', path);
      return { ms: Date.now() - started, events: reply.body.presence.events as unknown[] };
    };
    hs.queue('@bob:hs', { type: 'm.presence', sender: '@alice:hs', content: { presence: 'online' } });
    const held = await timed('/_matrix/client/v3/sync?timeout=600');
    const empty = await timed('/_matrix/client/v3/sync?timeout=600');
    hs.queue('@bob:hs', { type: 'm.presence', sender: '@alice:hs', content: { presence: 'unavailable' } });
    const immediate = await timed('/_matrix/client/v3/sync?timeout=0');

    expect(held.events).toHaveLength(1);
    expect(held.ms).toBeGreaterThanOrEqual(550);
    // The fake server answers at once: without presence, and with timeout 0, nothing is held.
    expect(empty).toMatchObject({ events: [] });
    expect(empty.ms).toBeLessThan(400);
    expect(immediate.events).toHaveLength(1);
    expect(immediate.ms).toBeLessThan(400);
  });

  it('laa-frozen serves the first last_active_ago until the user is pro-active again', async () => {
    const { as } = await world(laaFrozen, ['alice']);
    const alice = as('alice');
    await alice('PUT', status('alice'), { presence: 'online' });
    const first = (await alice('GET', status('alice'))).body.last_active_ago as number;
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect((await alice('GET', status('alice'))).body.last_active_ago).toBe(first);
    await alice('PUT', status('alice'), { presence: 'online' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await alice('GET', status('alice'))).body.last_active_ago).toBeLessThan(300);
  });

  it('never-idle hides an automatic unavailable but not a chosen one', async () => {
    const { hs, as } = await world(neverIdle, ['alice', 'bob'], { shared: () => true });
    hs.queue('@bob:hs', { type: 'm.presence', sender: '@alice:hs', content: { presence: 'unavailable', last_active_ago: 9_000 } });

    const sync = await as('bob')('GET', '/_matrix/client/v3/sync');
    await as('alice')('PUT', status('alice'), { presence: 'unavailable' });
    const got = await as('bob')('GET', status('alice'));

    expect(sync.body.presence.events[0].content).toMatchObject({ presence: 'online', currently_active: false });
    expect(got.body.presence).toBe('unavailable');
  });

  it('no-wake-from-other-device keeps an idle user unavailable until their first device is active', async () => {
    const { hs, as } = await world(noWakeFromOtherDevice, ['alice', 'bob'], { shared: () => true });
    await as('alice')('GET', '/_matrix/client/v3/sync'); // alice's first device
    hs.queue('@bob:hs', { type: 'm.presence', sender: '@alice:hs', content: { presence: 'unavailable' } });
    await as('bob')('GET', '/_matrix/client/v3/sync');

    await as('alice~2')('PUT', '/_matrix/client/v3/rooms/!r:hs/send/m.room.message/t1', { msgtype: 'm.text', body: 'hi' });
    hs.queue('@bob:hs', { type: 'm.presence', sender: '@alice:hs', content: { presence: 'online', currently_active: true } });
    const afterSecondDevice = await as('bob')('GET', '/_matrix/client/v3/sync');
    await as('alice')('PUT', '/_matrix/client/v3/rooms/!r:hs/send/m.room.message/t2', { msgtype: 'm.text', body: 'hi' });
    hs.queue('@bob:hs', { type: 'm.presence', sender: '@alice:hs', content: { presence: 'online', currently_active: true } });
    const afterFirstDevice = await as('bob')('GET', '/_matrix/client/v3/sync');

    expect(afterSecondDevice.body.presence.events[0].content).toMatchObject({ presence: 'unavailable', currently_active: false });
    expect(afterFirstDevice.body.presence.events[0].content).toMatchObject({ presence: 'online', currently_active: true });
  });

  it('ca-repeats-laa-updates sends a roommate the new last active time after each activity while currently_active', async () => {
    const { hs, as } = await world(caRepeatsLaaUpdates, ['alice', 'bob'], { shared: () => true });
    hs.queue('@bob:hs', { type: 'm.presence', sender: '@alice:hs', content: { presence: 'online', currently_active: true, last_active_ago: 5_000 } });
    await as('bob')('GET', '/_matrix/client/v3/sync');

    await as('alice')('PUT', '/_matrix/client/v3/rooms/!r:hs/send/m.room.message/t1', { msgtype: 'm.text', body: 'hi' });
    const after = await as('bob')('GET', '/_matrix/client/v3/sync');
    const quiet = await as('bob')('GET', '/_matrix/client/v3/sync');

    expect(after.body.presence.events).toEqual([{ type: 'm.presence', sender: '@alice:hs', content: { presence: 'online', currently_active: true, last_active_ago: expect.any(Number) } }]);
    expect(after.body.presence.events[0].content.last_active_ago).toBeLessThan(1_000);
    expect(quiet.body.presence.events).toEqual([]);
  });

  it('no-presence-in-sync leaves /sync without any presence section and GET untouched', async () => {
    const { hs, proxy, as } = await world(noPresenceInSync, ['alice', 'bob'], { shared: () => true });
    hs.queue('@bob:hs', { type: 'm.presence', sender: '@alice:hs', content: { presence: 'online' } });
    await as('alice')('PUT', status('alice'), { presence: 'unavailable', status_msg: 'away' });

    const sync = await as('bob')('GET', '/_matrix/client/v3/sync?timeout=0');
    const got = await as('bob')('GET', status('alice'));

    expect(sync).toEqual({ status: 200, body: { next_batch: 's1' } });
    expect(got).toMatchObject({ status: 200, body: { presence: 'unavailable', status_msg: 'away' } });
    expect(proxy.injected).toEqual({ 'presence stripped from /sync': 1 });
  });

  it('presence-disabled says offline to everyone, acknowledges but drops own PUTs, and delivers nothing', async () => {
    const { hs, upstream, proxy, as } = await world(presenceDisabled, ['alice', 'bob', 'mallory'], { shared: (a, b) => a !== '@mallory:hs' && b !== '@mallory:hs' });
    const alice = as('alice');
    hs.queue('@bob:hs', { type: 'm.presence', sender: '@alice:hs', content: { presence: 'online' } });
    const forwarded = upstream.received.length;

    expect(await alice('PUT', status('alice'), { presence: 'online', status_msg: 'here' })).toEqual({ status: 200, body: {} });
    // Not even validated, as Synapse with presence disabled does.
    expect(await alice('PUT', status('alice'), { presence: 'free_for_chat' })).toEqual({ status: 200, body: {} });
    expect(await alice('GET', status('alice'))).toEqual({ status: 200, body: { presence: 'offline' } });
    // Roommate or not: a constant offline, with no last_active_ago.
    expect(await as('bob')('GET', status('alice'))).toEqual({ status: 200, body: { presence: 'offline' } });
    expect(await as('mallory')('GET', status('alice'))).toEqual({ status: 200, body: { presence: 'offline' } });
    expect(upstream.received.length).toBe(forwarded);

    // Another user's status still reaches the server, which refuses it.
    expect((await as('mallory')('PUT', status('alice'), { presence: 'online' })).status).toBe(403);
    const sync = await as('bob')('GET', '/_matrix/client/v3/sync?timeout=0');
    expect(sync).toEqual({ status: 200, body: { next_batch: 's1' } });
    expect(proxy.injected).toEqual({ 'PUT status acknowledged, not applied': 2, 'GET status answered offline': 3, 'presence stripped from /sync': 1 });
  });

  it('a mutant restricted to users no request involves changes nothing', async () => {
    const { upstream, proxy, as } = await world(restrictToUsers(ffcPutAccepted, /^@nobody-/), ['alice']);

    const reply = await as('alice')('PUT', status('alice'), { presence: 'free_for_chat' });

    expect(reply.status).toBe(400);
    expect(upstream.received.at(-1)?.body).toContain('free_for_chat');
    expect(proxy.injected).toEqual({});
  });
});
