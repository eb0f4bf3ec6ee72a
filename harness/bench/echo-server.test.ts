import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpTransport } from '../story/client/http.js';
import { Recorder } from '../story/client/recorder.js';
import { registerUser } from '../story/client/registration.js';
import { EchoServer, type PresenceEvent } from './echo-server.js';

let server: EchoServer;
beforeEach(async () => { server = await new EchoServer().start(); });
afterEach(async () => server.stop());

interface Got { status: number; body: Record<string, unknown>; ms: number }

async function call(method: string, path: string, token?: string, body?: unknown): Promise<Got> {
  const started = Date.now();
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, ms: Date.now() - started };
}

async function user(name: string): Promise<{ id: string; token: string }> {
  const r = await call('POST', '/_matrix/client/v3/register', undefined, { username: name, password: 'pw' });
  expect(r.status).toBe(200);
  return { id: r.body.user_id as string, token: r.body.access_token as string };
}

const sync = (token: string, since?: string, timeout = 0) =>
  call('GET', `/_matrix/client/v3/sync?timeout=${timeout}${since === undefined ? '' : `&since=${since}`}&filter=${encodeURIComponent('{"room":{"timeline":{"limit":1}}}')}`, token);
const events = (r: Got) => (r.body.presence as { events: PresenceEvent[] }).events;
const setPresence = (u: { id: string; token: string }, presence: string, statusMsg: string) =>
  call('PUT', `/_matrix/client/v3/presence/${encodeURIComponent(u.id)}/status`, u.token, { presence, status_msg: statusMsg });

describe('the loopback echo server', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('registers through the harness\'s own registration code (open registration)', async () => {
    const session = await registerUser(new HttpTransport(server.url, new Recorder()), { kind: 'open' }, 'alice', 'pw-alice');
    expect(session.userId).toBe('@alice:echo.localhost');
    const who = await call('GET', '/_matrix/client/v3/account/whoami', session.accessToken);
    expect(who.body).toEqual({ user_id: '@alice:echo.localhost', device_id: session.deviceId });
  });

  it('answers a roommate\'s waiting long-poll at once with the change, and never shows it to a non-sharer', async () => {
    const [alice, bob, eve] = [await user('alice'), await user('bob'), await user('eve')];
    const room = (await call('POST', '/_matrix/client/v3/createRoom', alice.token, { preset: 'public_chat', visibility: 'private' })).body.room_id as string;
    expect((await call('POST', `/_matrix/client/v3/join/${encodeURIComponent(room)}`, bob.token, {})).status).toBe(200);
    const bobSince = (await sync(bob.token)).body.next_batch as string;
    const eveSince = (await sync(eve.token)).body.next_batch as string;

    const bobWaits = sync(bob.token, bobSince, 30_000);
    const eveWaits = sync(eve.token, eveSince, 1_500);
    await new Promise((r) => setTimeout(r, 100));
    expect((await setPresence(alice, 'online', 'bench 0.1')).status).toBe(200);

    const bobGot = await bobWaits;
    expect(bobGot.ms).toBeLessThan(5_000);
    expect(events(bobGot)).toEqual([{ type: 'm.presence', sender: alice.id, content: { presence: 'online', status_msg: 'bench 0.1' } }]);
    const eveGot = await eveWaits;
    expect(eveGot.ms).toBeGreaterThanOrEqual(1_400);
    expect(events(eveGot)).toEqual([]);
    // The next long-poll from the new token holds: nothing new.
    expect(events(await sync(bob.token, bobGot.body.next_batch as string, 200))).toEqual([]);
  });

  it('a first sync shows the latest presence of roommates only; a later one the changes since its token', async () => {
    const [alice, bob, eve] = [await user('alice'), await user('bob'), await user('eve')];
    const room = (await call('POST', '/_matrix/client/v3/createRoom', alice.token, {})).body.room_id as string;
    await call('POST', `/_matrix/client/v3/join/${encodeURIComponent(room)}`, bob.token, {});
    await setPresence(alice, 'online', 'one');
    await setPresence(alice, 'unavailable', 'two');
    await setPresence(eve, 'online', 'eve');
    const first = await sync(bob.token);
    expect(events(first).map((e) => [e.sender, e.content.status_msg])).toEqual([[alice.id, 'two']]);
    await setPresence(alice, 'online', 'three');
    expect(events(await sync(bob.token, first.body.next_batch as string)).map((e) => e.content.status_msg)).toEqual(['three']);
    expect(events(await sync(eve.token)).map((e) => e.sender)).toEqual([eve.id]);
  });

  it('refuses what a homeserver refuses: no token, another user\'s presence, a room one is not in, an unknown request', async () => {
    const [alice, bob] = [await user('alice'), await user('bob')];
    expect((await call('GET', '/_matrix/client/v3/sync')).body.errcode).toBe('M_MISSING_TOKEN');
    expect((await call('GET', '/_matrix/client/v3/sync', 'nope')).body.errcode).toBe('M_UNKNOWN_TOKEN');
    expect((await call('PUT', `/_matrix/client/v3/presence/${encodeURIComponent(bob.id)}/status`, alice.token, { presence: 'online' })).status).toBe(403);
    const room = (await call('POST', '/_matrix/client/v3/createRoom', alice.token, {})).body.room_id as string;
    expect((await call('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/send/m.room.message/t1`, bob.token, { msgtype: 'm.text', body: 'x' })).status).toBe(403);
    const sent = await call('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/send/m.room.message/t1`, alice.token, { msgtype: 'm.text', body: 'x' });
    expect(sent.body.event_id).toMatch(/^\$/);
    expect((await call('POST', '/_matrix/client/v3/register', undefined, { username: 'alice', password: 'x' })).body.errcode).toBe('M_USER_IN_USE');
    const unknown = await call('GET', '/_matrix/client/v3/thirdparty/protocols', alice.token);
    expect([unknown.status, unknown.body.errcode]).toEqual([404, 'M_UNRECOGNIZED']);
    expect(server.unrecognised).toEqual(['GET /_matrix/client/v3/thirdparty/protocols']);
  });

  it('leaving a room and deactivating end the sharing', async () => {
    const [alice, bob] = [await user('alice'), await user('bob')];
    const room = (await call('POST', '/_matrix/client/v3/createRoom', alice.token, {})).body.room_id as string;
    await call('POST', `/_matrix/client/v3/join/${encodeURIComponent(room)}`, bob.token, {});
    expect(server.shares(alice.id, bob.id)).toBe(true);
    await call('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/leave`, bob.token, {});
    expect(server.shares(alice.id, bob.id)).toBe(false);
    await call('POST', `/_matrix/client/v3/join/${encodeURIComponent(room)}`, bob.token, {});
    expect((await call('POST', '/_matrix/client/v3/account/deactivate', bob.token, {})).status).toBe(200);
    expect(server.shares(alice.id, bob.id)).toBe(false);
    expect((await call('GET', '/_matrix/client/v3/account/whoami', bob.token)).status).toBe(401);
  });
});
