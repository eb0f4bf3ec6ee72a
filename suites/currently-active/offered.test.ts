import { expect } from 'vitest';
import { CURRENTLY_ACTIVE_NOT_OFFERED, requirement, seesCurrentlyActive } from '../../harness/story/index.js';

requirement('PRES-CA-OFFERED', ({ test }) => {
  test('while alice is active, her roommate is told she is currently_active', async ({ server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    await bob.sync();

    const { update } = await seesCurrentlyActive(server, alice, bob, room);

    if (!update) return skip(CURRENTLY_ACTIVE_NOT_OFFERED);
    expect(update.presence).toBe('online');
    expect(update.currently_active).toBe(true);
  });
});
