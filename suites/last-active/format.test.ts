import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';

requirement('PRES-LAA-FORMAT', ({ test }) => {
  test('last_active_ago over GET and /sync is a non-negative integer of milliseconds, no older than the user', async ({ server }) => {
    const bornBefore = Date.now();
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    await alice.setPresence('online');
    await alice.sendMessage(room, server.message());

    const event = await bob.seesPresence(alice, (p) => p.last_active_ago !== undefined, { deadline: server.soon(), what: 'an m.presence event with last_active_ago' });
    const roommate = await bob.getPresence(alice);
    const own = await alice.getPresence();

    for (const [ago, evidence] of [
      [event.last_active_ago, `m.presence event: ${JSON.stringify(event)}`],
      [roommate.body.last_active_ago, roommate.evidence],
      [own.body.last_active_ago, own.evidence],
    ] as const) {
      expect(typeof ago, evidence).toBe('number');
      expect(Number.isInteger(ago), evidence).toBe(true);
      expect(ago, evidence).toBeGreaterThanOrEqual(0);
      // Plausible: she cannot have been active before she was registered.
      expect(ago, evidence).toBeLessThanOrEqual(Date.now() - bornBefore + server.timings.slackMs);
    }
  });
});
