import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';

requirement('PRES-SYNC-OFFLINE', ({ test }) => {
  test.for(['offline', 'unavailable'] as const)('alice, %s, is not marked online by syncing with set_presence=offline', async (from, { server }) => {
    const { alice, bob } = await server.aliceSeenByBob(from);

    // Alice's client keeps its event stream open with set_presence=offline for a delivery window.
    const until = server.soon();
    await Promise.all([
      alice.syncThroughout({ until, what: 'her own stream', setPresence: 'offline' }),
      bob.syncThroughout({
        until,
        what: `${alice}'s presence while she syncs with set_presence=offline`,
        violates: (body) => {
          const online = body.presence?.events?.filter((e) => e.sender === alice.userId && e.content.presence === 'online');
          return online?.length ? `received ${JSON.stringify(online)}` : undefined;
        },
      }),
    ]);

    const own = await alice.getPresence();
    expect(own.body.presence, own.evidence).toBe(from);
    const seen = await bob.getPresence(alice);
    expect(seen.body.presence, seen.evidence).toBe(from);
    expect(bob.receivedFrom(alice).filter((r) => r.event.content.presence === 'online').map((r) => r.event)).toEqual([]);
    // Control: had she been marked online, bob would have been told within the window.
    await alice.setPresence('online');
    await bob.seesPresence(alice, (p) => p.presence === 'online', { deadline: server.soon(), what: 'online once she sets it' });
  });
});
