import { afterEach, describe, expect, it } from 'vitest';
import { StoryBudget } from '../budget.js';
import type { SyncOptions } from '../client/matrix-user.js';
import { DENDRITE_TIMINGS } from '../../targets/dendrite/timings.js';
import type { TargetTimings } from '../../timings.js';
import { FakeUpstream, json } from '../../testing/fake-upstream.js';
import { HttpTransport } from '../client/http.js';
import { MatrixUser } from '../client/matrix-user.js';
import { PresenceWatch } from '../client/presence-watch.js';
import type { TargetDescriptor } from '../server-facts.js';
import { SYNAPSE_TIMINGS } from '../../targets/synapse/timings.js';
import { TestServer } from '../test-server.js';
import { BACKGROUND_CLIENT, BOT_CLIENT, CLIENT_KINDS, connectClient, firstSyncs, FRESH_CLIENT, kindApplies, SYNCING_CLIENT } from './clients.js';

/** Ends a story as vitest's `skip` does: by throwing. */
class Skipped extends Error {}

// A sync-online timeout of 400 ms, timers checked every 50 ms from boot.
const timings = { ...SYNAPSE_TIMINGS, syncOnlineTimeoutMs: 400, checkIntervalMs: 50, firstCheckAfterMs: 0, deliveryMs: 50, slackMs: 50 };
const alice = { userId: '@alice:hs', accessToken: 'token-alice-0001', deviceId: 'D1' };

/** A test server on an address nothing answers, for what needs only its timings and signal. */
function serverWith(timings: TargetTimings, cancel?: AbortSignal): TestServer {
  const target = { kind: 'url', baseUrl: 'http://127.0.0.1:9', serverName: 'hs', serverVersion: 'Test 1', registration: { kind: 'open' }, timings, startedAt: Date.now(), runPrefix: 'pctest', seed: 1 } as TargetDescriptor;
  return new TestServer(target, 'clients test', StoryBudget.unlimited, cancel);
}

/** Only what connectClient uses of a device: its syncs, noted with when they came. */
function device(syncs: Array<SyncOptions & { at: number }>): MatrixUser {
  return { role: 'alice', sync: async (options: SyncOptions = {}) => void syncs.push({ ...options, at: Date.now() }) } as unknown as MatrixUser;
}

describe('client kinds', () => {
  let upstream: FakeUpstream | undefined;
  afterEach(async () => upstream?.stop());

  /** A story against a fake homeserver whose /sync always answers: its server, and alice on it. */
  async function story(overrides: Partial<typeof timings> = {}): Promise<{ server: TestServer; alice: MatrixUser; syncs: number[] }> {
    const syncs: number[] = [];
    upstream = await new FakeUpstream((req, _body, res) => {
      if (req.url?.startsWith('/_matrix/client/v3/sync')) {
        syncs.push(Date.now());
        return json(res, 200, { next_batch: `s${syncs.length}` });
      }
      json(res, 404, { errcode: 'M_UNRECOGNIZED' });
    }).start();
    const target = { kind: 'url', baseUrl: upstream.url, serverName: 'hs', serverVersion: 'Test 1', registration: { kind: 'open' }, timings: { ...timings, ...overrides }, startedAt: Date.now(), runPrefix: 'pctest', seed: 1 } as TargetDescriptor;
    const server = new TestServer(target, 'client kinds test', undefined, undefined, (reason) => {
      throw new Skipped(reason);
    });
    const http = new HttpTransport(upstream.url, server.recorder);
    return { server, alice: new MatrixUser(http, 'alice', alice, 'pw-alice-0001', new PresenceWatch(server.recorder, Date.now())), syncs };
  }

  it('the bot syncs once, then leaves nothing syncing, and the evidence names it', async () => {
    const { server, alice: user, syncs } = await story();
    expect(await connectClient(server, BOT_CLIENT, user)).toEqual([]);
    expect(syncs).toHaveLength(1);
    expect(server.recorder.clientKind).toBe('bot');
  });

  it('the app sent to the background makes no request until its sync-online timeout has run past, then comes back with a sync', async () => {
    const { server, alice: user, syncs } = await story();
    expect(await connectClient(server, BACKGROUND_CLIENT, user, 'offline')).toEqual([user]);
    expect(syncs).toHaveLength(2);
    expect(syncs[1]! - syncs[0]!).toBeGreaterThanOrEqual(timings.syncOnlineTimeoutMs + timings.checkIntervalMs);
    expect(upstream!.received.map((r) => new URL(r.url, 'http://hs').searchParams.get('set_presence'))).toEqual(['offline', 'offline']);
    expect(new URL(upstream!.received[1]!.url, 'http://hs').searchParams.get('since')).toBe('s1');
    expect(server.recorder.notes.some((n) => /stays in the background \(no request\) for \d+ s: past the sync-online timeout \(400 ms\)/.test(n))).toBe(true);
  });

  it("firstSyncs leaves the app's return to the story", async () => {
    const { server, alice: user, syncs } = await story();
    expect(await firstSyncs(server, BACKGROUND_CLIENT, user)).toEqual([user]);
    expect(syncs).toHaveLength(1);
    expect(server.recorder.clientKind).toBe('background');
  });

  it('the app sent to the background is not applicable, before any request, where no story could outlast the sync-online timeout', async () => {
    const { server, alice: user, syncs } = await story({ syncOnlineTimeoutMs: 86_400_000 });
    await expect(connectClient(server, BACKGROUND_CLIENT, user)).rejects.toThrow(/^not applicable here: an app back from the background needs the server's sync-online timeout to pass, and this server declares 86400000 ms, longer than any story may last/);
    expect(syncs).toHaveLength(0);
  });

  it('every kind applies on a target with a sync-online timeout; the app back from the background does not where the timeout is declared as never (Dendrite)', () => {
    for (const kind of CLIENT_KINDS) expect(() => kindApplies(serverWith(SYNAPSE_TIMINGS), kind)).not.toThrow();
    for (const kind of [FRESH_CLIENT, SYNCING_CLIENT, BOT_CLIENT]) expect(() => kindApplies(serverWith(DENDRITE_TIMINGS), kind)).not.toThrow();
    expect(() => kindApplies(serverWith(DENDRITE_TIMINGS), BACKGROUND_CLIENT)).toThrow(/^not applicable here: an app back from the background needs the server's sync-online timeout to pass, and this server declares 86400000 ms/);
  });

  it('stops an app away in the background at once when the story is cancelled (a stopped run), not at the end of its pause', async () => {
    const stop = new AbortController();
    const server = serverWith({ ...SYNAPSE_TIMINGS, syncOnlineTimeoutMs: 60_000 }, stop.signal);
    const syncs: Array<SyncOptions & { at: number }> = [];
    const startedAt = Date.now();
    setTimeout(() => stop.abort(), 100);
    await connectClient(server, BACKGROUND_CLIENT, device(syncs)).catch(() => undefined);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
  });
});
