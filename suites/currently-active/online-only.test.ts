import { expect } from 'vitest';
import { CURRENTLY_ACTIVE_NOT_OFFERED, given, Inconclusive, requirement, seesCurrentlyActive, type PresenceStatus } from '../../harness/story/index.js';

requirement('PRES-CA-ONLINE-ONLY', ({ test }) => {
  test('an active user who turns unavailable or offline is never currently_active in those states', async ({ server, skip }) => {
    // One user per state, each active from her first request on, as in
    // PRES-CA-OFFERED: her /sync marks her online (PRES-SYNC-DEFAULT) and
    // her messages keep her active. No PUT online first: a server may mark
    // a user currently_active only from her client's activity and store a
    // PUT online as not currently active (tuwunel 1.4.6 does, and then
    // refreshes it at most once a minute), which would read as "not
    // offered"; and no return to online, which would depend on activity
    // waking her (PRES-IDLE-WAKE).
    const [alice, carol, bob] = await server.users('alice', 'carol', 'bob');
    const room = await server.sharedRoom(alice, bob, carol);
    await bob.sync();
    const reads: PresenceStatus[] = [];

    for (const [round, [user, state]] of ([[alice, 'unavailable'], [carol, 'offline']] as const).entries()) {
      const { update } = await seesCurrentlyActive(server, user, bob, room);
      if (!update && round === 0) return skip(CURRENTLY_ACTIVE_NOT_OFFERED);
      // Offered in the first round: its absence now is not "not offered".
      if (!update) throw new Inconclusive(`bob was not told ${user.role} is currently_active in round ${round + 1}, as he was told of alice in round 1`);

      // Right after her activity, well inside the currently_active window.
      await user.setPresence(state, server.statusMessage());
      await given('PRES-VIS-SHARED-SYNC', `bob is told ${user.role} is ${state}`, bob.seesPresence(user, (p) => p.presence === state, { deadline: server.soon(), what: state }));
      reads.push(await bob.presenceOf(user), await user.presenceOf());
    }

    const payloads = [...bob.receivedFrom(alice), ...bob.receivedFrom(carol)].map((r) => r.event.content);
    const shown = JSON.stringify([...payloads, ...reads]);
    expect([...payloads, ...reads].filter((p) => p.currently_active === true && p.presence !== 'online'), shown).toEqual([]);
  });
});
