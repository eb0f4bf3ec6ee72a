import { expect } from 'vitest';
import { ConformanceFailure, requirement, sentAt, unlessTimerEnded, untilSeen } from '../../harness/story/index.js';

requirement('PRES-IDLE-MANUAL', ({ test }) => {
  test('a user who was just active sets herself unavailable and a roommate sees it', async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
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
      // Unless she had no time to be seen before her sync-online timeout (she never syncs) could make her offline.
      if (cause instanceof ConformanceFailure) unlessTimerEnded({ state: 'unavailable', since: sentAt(put), syncing: false }, server.timings, undefined, Date.now(), cause.message);
      throw cause;
    }
  });
});
