import { describe, expect, it } from 'vitest';
import { StoryBudget } from '../budget.js';
import type { MatrixUser, SyncOptions } from '../client/matrix-user.js';
import type { TargetDescriptor } from '../server-facts.js';
import { DENDRITE_TIMINGS } from '../../targets/dendrite/timings.js';
import { SYNAPSE_TIMINGS } from '../../targets/synapse/timings.js';
import type { TargetTimings } from '../../timings.js';
import { TestServer } from '../test-server.js';
import { BACKGROUND_CLIENT, BOT_CLIENT, CLIENT_KINDS, connectClient, FRESH_CLIENT, kindNotRunnable, SYNCING_CLIENT } from './clients.js';

function serverWith(timings: TargetTimings, cancel?: AbortSignal): TestServer {
  const target = { kind: 'url', baseUrl: 'http://127.0.0.1:9', serverName: 'hs', serverVersion: 'Test 1', registration: { kind: 'open' }, timings, startedAt: Date.now(), runPrefix: 'pctest', seed: 1 } as TargetDescriptor;
  return new TestServer(target, 'clients test', StoryBudget.unlimited, cancel);
}

/** Only what connectClient uses of a device: its syncs, noted with when they came. */
function device(syncs: Array<SyncOptions & { at: number }>): MatrixUser {
  return { role: 'alice', sync: async (options: SyncOptions = {}) => void syncs.push({ ...options, at: Date.now() }) } as unknown as MatrixUser;
}

describe('client kinds', () => {
  it('runs every kind on a target with a sync-online timeout; not the app back from the background where the timeout is declared as never (Dendrite)', () => {
    const synapse = serverWith(SYNAPSE_TIMINGS);
    expect(CLIENT_KINDS.map((kind) => kindNotRunnable(synapse, kind))).toEqual([undefined, undefined, undefined, undefined]);
    const dendrite = serverWith(DENDRITE_TIMINGS);
    expect(kindNotRunnable(dendrite, BACKGROUND_CLIENT)).toMatch(/^cannot apply: the target declares a 86400 s sync-online timeout \(none in effect\), longer than any story may last/);
    expect([FRESH_CLIENT, SYNCING_CLIENT, BOT_CLIENT].map((kind) => kindNotRunnable(dendrite, kind))).toEqual([undefined, undefined, undefined]);
  });

  it('refuses to connect a kind that cannot run, instead of waiting a day', async () => {
    const syncs: Array<SyncOptions & { at: number }> = [];
    await expect(connectClient(serverWith(DENDRITE_TIMINGS), BACKGROUND_CLIENT, device(syncs))).rejects.toThrow(/^background: cannot apply/);
    expect(syncs).toEqual([]);
  });

  it('connects the bot with one first sync and leaves it nothing to keep syncing; notes the kind in the evidence', async () => {
    const server = serverWith(SYNAPSE_TIMINGS);
    const syncs: Array<SyncOptions & { at: number }> = [];
    expect(await connectClient(server, BOT_CLIENT, device(syncs))).toEqual([]);
    expect(syncs.map(({ initial }) => initial)).toEqual([true]);
    expect(server.recorder.clientKind).toBe('bot');
  });

  it('brings the app back from the background only after the sync-online timer has run past', async () => {
    // A 300 ms sync-online timeout; everything else as small, so the deadline is short.
    const timings: TargetTimings = { ...SYNAPSE_TIMINGS, syncOnlineTimeoutMs: 300, checkIntervalMs: 50, firstCheckAfterMs: 0, deliveryMs: 50, slackMs: 50 };
    const server = serverWith(timings);
    const syncs: Array<SyncOptions & { at: number }> = [];
    const alice = device(syncs);
    const devices = await connectClient(server, BACKGROUND_CLIENT, alice);
    expect(devices).toEqual([alice]);
    expect(syncs.map(({ initial }) => initial)).toEqual([true, undefined]);
    expect(syncs[1]!.at - syncs[0]!.at).toBeGreaterThanOrEqual(timings.syncOnlineTimeoutMs);
  });

  it('stops an app away in the background at once when the story is cancelled (a stopped run), not at the end of its pause', async () => {
    const stop = new AbortController();
    const server = serverWith({ ...SYNAPSE_TIMINGS, syncOnlineTimeoutMs: 60_000 }, stop.signal);
    const syncs: Array<SyncOptions & { at: number }> = [];
    const startedAt = Date.now();
    setTimeout(() => stop.abort(), 100);
    await connectClient(server, BACKGROUND_CLIENT, device(syncs));
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });
});
