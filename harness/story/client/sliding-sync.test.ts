import { afterEach, describe, expect, it } from 'vitest';
import { FakeUpstream, json, type Handler } from '../../testing/fake-upstream.js';
import { Inconclusive } from '../errors.js';
import { HttpTransport } from './http.js';
import { MatrixUser } from './matrix-user.js';
import { PresenceWatch } from './presence-watch.js';
import { Recorder } from './recorder.js';
import { discoverSlidingSync, SLIDING_SYNC_CONN_ID, SLIDING_SYNC_FLAG, SLIDING_SYNC_PATHS } from './sliding-sync.js';

const [UNSTABLE, V5] = SLIDING_SYNC_PATHS;

/** A device of @alice:hs talking to `server`, its exchanges kept by `recorder`. */
function aliceOn(server: FakeUpstream): { alice: MatrixUser; recorder: Recorder } {
  const recorder = new Recorder();
  const http = new HttpTransport(server.url, recorder);
  const alice = new MatrixUser(http, 'alice', { userId: '@alice:hs', accessToken: 'token-alice', deviceId: 'A' }, 'pw', new PresenceWatch(recorder, 0));
  return { alice, recorder };
}

/** A sliding-sync endpoint at UNSTABLE that numbers its positions; `answer` may take over a request. */
function slidingServer(answer?: (url: URL, n: number) => { status: number; body: unknown } | undefined): Handler {
  let n = 0;
  return (req, _body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'POST' || url.pathname !== UNSTABLE) return json(res, 404, { errcode: 'M_UNRECOGNIZED' });
    n += 1;
    const custom = answer?.(url, n);
    if (custom) return json(res, custom.status, custom.body);
    json(res, 200, { pos: `p${n}`, lists: {}, rooms: {} });
  };
}

describe('SlidingSyncClient', () => {
  let server: FakeUpstream | undefined;
  afterEach(async () => server?.stop());

  it('POSTs pos and timeout in the query (as ruma does), set_presence in the query and the body (as the MSC lists it), the connection in the body; each pos continues the connection', async () => {
    server = await new FakeUpstream(slidingServer()).start();
    const { alice, recorder } = aliceOn(server);
    const client = alice.slidingSync(UNSTABLE);

    await client.sync();
    await client.sync({ setPresence: 'unavailable', timeoutMs: 50 });

    const [first, second] = server.received;
    expect(first?.method).toBe('POST');
    expect(first?.url).toBe(`${UNSTABLE}?timeout=0`);
    expect(first?.authorization).toBe('Bearer token-alice');
    expect(JSON.parse(first!.body)).toMatchObject({ conn_id: SLIDING_SYNC_CONN_ID, lists: { rooms: { ranges: [[0, 19]] } } });
    expect(JSON.parse(first!.body)).not.toHaveProperty('set_presence');
    expect(second?.url).toBe(`${UNSTABLE}?pos=p1&timeout=50&set_presence=unavailable`);
    expect(JSON.parse(second!.body)).toMatchObject({ conn_id: SLIDING_SYNC_CONN_ID, set_presence: 'unavailable' });
    // Recorded like every other request of the device.
    expect(recorder.exchanges.map((e) => [e.actor, e.method, e.status])).toEqual([['alice', 'POST', 200], ['alice', 'POST', 200]]);
  });

  it('starts a new connection (no pos) after the server expired it with 400 M_UNKNOWN_POS', async () => {
    server = await new FakeUpstream(slidingServer((_url, n) => (n === 2 ? { status: 400, body: { errcode: 'M_UNKNOWN_POS' } } : undefined))).start();
    const { alice } = aliceOn(server);
    const client = alice.slidingSync(UNSTABLE);

    await client.sync();
    const expired = await client.sync();
    await client.sync();

    expect(expired.status).toBe(400);
    expect(server.received.map((r) => new URL(r.url, 'http://x').searchParams.get('pos'))).toEqual([null, 'p1', null]);
  });

  it('keeps long-polling while the story runs, through an expired connection, and stops when it ends', async () => {
    server = await new FakeUpstream(slidingServer((_url, n) => (n === 2 ? { status: 400, body: { errcode: 'M_UNKNOWN_POS' } } : undefined))).start();
    const { alice } = aliceOn(server);
    const client = alice.slidingSync(UNSTABLE);
    const upstream = server;

    const result = await client.whileSyncing({ setPresence: 'offline', pollMs: 10 }, async () => {
      while (upstream.received.length < 4) await new Promise((r) => setTimeout(r, 5));
      return 'story done';
    });

    expect(result).toBe('story done');
    const queries = server.received.map((r) => new URL(r.url, 'http://x').searchParams);
    expect(queries.every((q) => q.get('set_presence') === 'offline' && q.get('timeout') === '10')).toBe(true);
    expect(queries.slice(0, 4).map((q) => q.get('pos'))).toEqual([null, 'p1', null, 'p3']);
    const after = server.received.length;
    await new Promise((r) => setTimeout(r, 50));
    // At most the long-poll in flight when it ended arrives; a loop left running would send dozens.
    expect(server.received.length).toBeLessThanOrEqual(after + 1);
  });

  it('makes the story inconclusive when the connection is refused otherwise, after the story ends', async () => {
    server = await new FakeUpstream(slidingServer((_url, n) => (n === 2 ? { status: 500, body: { errcode: 'M_UNKNOWN' } } : undefined))).start();
    const { alice } = aliceOn(server);
    const client = alice.slidingSync(UNSTABLE);
    const upstream = server;

    const story = client.whileSyncing({ pollMs: 10 }, async () => {
      while (upstream.received.length < 2) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 20));
    });

    await expect(story).rejects.toThrow(Inconclusive);
    await expect(story).rejects.toThrow(/alice could not keep sliding-syncing/);
  });
});

describe('discoverSlidingSync', () => {
  let server: FakeUpstream | undefined;
  afterEach(async () => server?.stop());

  it('uses the first path the server serves, whether or not /versions advertises it', async () => {
    server = await new FakeUpstream(slidingServer()).start();
    const { alice } = aliceOn(server);
    const probe = (path: string) => alice.slidingSync(path).sync({ setPresence: 'offline' });

    expect(await discoverSlidingSync(true, probe, 'X 1.0')).toEqual({ path: UNSTABLE, advertised: true });
    expect(await discoverSlidingSync(false, probe, 'X 1.0')).toEqual({ path: UNSTABLE, advertised: false });
  });

  it('falls back to v5 where only v5 is served; a refusal of the request still means served', async () => {
    server = await new FakeUpstream((req, _body, res) => (new URL(req.url ?? '/', 'http://x').pathname === V5 ? json(res, 400, { errcode: 'M_INVALID_PARAM' }) : json(res, 404, { errcode: 'M_UNRECOGNIZED' }))).start();
    const { alice } = aliceOn(server);

    expect(await discoverSlidingSync(false, (path) => alice.slidingSync(path).sync(), 'X 1.0')).toEqual({ path: V5, advertised: false });
  });

  it('names the server, each path tried with its answer, and the flag, when nothing serves it', async () => {
    server = await new FakeUpstream((_req, _body, res) => json(res, 404, { errcode: 'M_UNRECOGNIZED' })).start();
    const { alice } = aliceOn(server);

    const offer = await discoverSlidingSync(false, (path) => alice.slidingSync(path).sync(), 'Dendrite 0.13.8');

    expect(offer).toEqual({
      reason: `Dendrite 0.13.8 offers no sliding-sync endpoint (tried POST ${UNSTABLE}: 404, POST ${V5}: 404; nor does /versions advertise ${SLIDING_SYNC_FLAG})`,
    });
  });
});
