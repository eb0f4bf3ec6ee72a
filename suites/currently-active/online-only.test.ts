import { expect } from 'vitest';
import { CURRENTLY_ACTIVE_NOT_OFFERED, given, Inconclusive, requirement, seesCurrentlyActive, type PresenceStatus } from '../../harness/story/index.js';

requirement('PRES-CA-ONLINE-ONLY', ({ test }) => {
  test('an active user who turns unavailable or offline is never currently_active in those states', async ({ server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    await bob.sync();
    const reads: PresenceStatus[] = [];

    for (const [round, state] of (['unavailable', 'offline'] as const).entries()) {
      // She comes back online herself (a pro-active event), so the story does
      // not depend on activity waking her (PRES-IDLE-WAKE).
      await alice.setPresence('online');
      const { update } = await seesCurrentlyActive(server, alice, bob, room);
      if (!update && round === 0) return skip(CURRENTLY_ACTIVE_NOT_OFFERED);
      // Offered in the first round: its absence now is not "not offered".
      if (!update) throw new Inconclusive(`bob was not told alice is currently_active in round ${round + 1}, as he was in round 1`);

      // Right after her activity, well inside the currently_active window.
      await alice.setPresence(state, server.statusMessage());
      await given('PRES-VIS-SHARED-SYNC', `bob is told alice is ${state}`, bob.seesPresence(alice, (p) => p.presence === state, { deadline: server.soon(), what: state }));
      reads.push(await bob.presenceOf(alice), await alice.presenceOf());
    }

    const payloads = [...bob.receivedFrom(alice).map((r) => r.event.content), ...reads];
    const shown = JSON.stringify(payloads);
    expect(payloads.filter((p) => p.currently_active === true && p.presence !== 'online'), shown).toEqual([]);
  });
});
