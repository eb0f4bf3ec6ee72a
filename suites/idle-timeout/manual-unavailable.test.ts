import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';

requirement('PRES-IDLE-MANUAL', ({ test }) => {
  test('a user who was just active sets herself unavailable and a roommate sees it', async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    const activeAt = Date.now();
    await alice.setPresence('online');

    await alice.setPresence('unavailable');

    // Seen before her idle threshold could have passed: the server made her
    // unavailable because she asked, not by timeout.
    const deadline = Math.min(server.soon(), activeAt + server.timings.idleTimeoutMs);
    await bob.seesPresence(alice, (p) => p.presence === 'unavailable', { deadline, what: 'unavailable' });
    const got = await bob.getPresence(alice);
    expect(got.body.presence, got.evidence).toBe('unavailable');
  });
});
