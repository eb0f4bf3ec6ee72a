import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';
import type { PresenceStatus } from '../../harness/client/matrix-user.js';
import { CURRENTLY_ACTIVE_NOT_OFFERED, seesCurrentlyActive } from '../../harness/presence/currently-active.js';

requirement('PRES-CA-ONLINE-ONLY', ({ test }) => {
  test('an active user who turns unavailable or offline is never currently_active in those states', async ({ server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    await bob.sync();
    const reads: PresenceStatus[] = [];

    for (const state of ['unavailable', 'offline'] as const) {
      const { update } = await seesCurrentlyActive(server, alice, bob, room);
      if (!update) return skip(CURRENTLY_ACTIVE_NOT_OFFERED);

      // Right after her activity, well inside the currently_active window.
      await alice.setPresence(state, server.statusMessage());
      await bob.seesPresence(alice, (p) => p.presence === state, { deadline: server.soon(), what: state });
      reads.push(await bob.presenceOf(alice), await alice.presenceOf());
    }

    const payloads = [...bob.receivedFrom(alice).map((r) => r.event.content), ...reads];
    const shown = JSON.stringify(payloads);
    expect(payloads.filter((p) => p.presence === 'online' && p.currently_active === true).length, shown).toBeGreaterThanOrEqual(2);
    expect(payloads.filter((p) => p.presence !== 'online').length, shown).toBeGreaterThanOrEqual(6);
    expect(payloads.filter((p) => p.currently_active === true && p.presence !== 'online'), shown).toEqual([]);
  });
});
