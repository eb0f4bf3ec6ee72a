import { expect } from 'vitest';
import { BOT_CLIENT, ConformanceFailure, connectClient, FRESH_CLIENT, requirement, sentAt, unlessTimerEnded, untilSeen } from '../../harness/story/index.js';

/**
 * Clients that set their user unavailable and make no /sync after: the
 * minimal client, and the bot (synced once at start; the server has seen it
 * syncing). Not the app that syncs throughout nor the one back from the
 * background: each keeps syncing without set_presence, which marks her
 * online (PRES-SYNC-DEFAULT), so the two requirements would ask opposite
 * things of the same moment; such an app asks for unavailable through its
 * sync's set_presence instead, PRES-SYNC-UNAVAILABLE's stories.
 */
const KINDS = [FRESH_CLIENT, BOT_CLIENT];

requirement('PRES-IDLE-MANUAL', ({ test }) => {
  test.for(KINDS)('a user who was just active sets herself unavailable and a roommate sees it (alice: $name)', async (kind, { server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    await connectClient(server, kind, alice);
    const activeAt = await alice.setPresence('online');

    // The PUT is what this requirement is about: its refusal is a failure.
    const put = await alice.putPresence({ presence: 'unavailable' });
    expect(put.status, put.evidence).toBeGreaterThanOrEqual(200);
    expect(put.status, put.evidence).toBeLessThan(300);

    // Seen (over /sync or GET) before her idle threshold could have passed:
    // the server made her unavailable because she asked, not by timeout.
    const deadline = Math.min(server.soon(), activeAt + server.timings.idleTimeoutMs);
    try {
      await untilSeen(server, bob, alice, 'unavailable', deadline);
    } catch (cause) {
      // Unless she had no time to be seen before her sync-online timeout (she syncs no more) could make her offline.
      if (cause instanceof ConformanceFailure) unlessTimerEnded({ state: 'unavailable', since: sentAt(put), syncing: false }, server.timings, undefined, Date.now(), cause.message);
      throw cause;
    }
  });
});
