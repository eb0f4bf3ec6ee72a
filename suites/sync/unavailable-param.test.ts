import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';

requirement('PRES-SYNC-UNAVAILABLE', ({ test }) => {
  test.for(['online', 'offline'] as const)('alice, %s, is marked unavailable by syncing with set_presence=unavailable', async (from, { server }) => {
    const { alice, bob } = await server.aliceSeenByBob(from);

    const reply = await alice.sync({ setPresence: 'unavailable' });

    expect(reply.status, reply.evidence).toBe(200);
    await bob.seesPresence(alice, (p) => p.presence === 'unavailable', { deadline: server.soon(), what: 'unavailable after her /sync' });
    // And she stays so while her client keeps syncing that way.
    const until = server.soon();
    await Promise.all([
      alice.syncThroughout({ until, what: 'her own stream', setPresence: 'unavailable' }),
      bob.syncThroughout({
        until,
        what: `${alice}'s presence while she syncs with set_presence=unavailable`,
        violates: (body) => {
          const other = body.presence?.events?.filter((e) => e.sender === alice.userId && e.content.presence !== 'unavailable');
          return other?.length ? `received ${JSON.stringify(other)}` : undefined;
        },
      }),
    ]);
    const own = await alice.getPresence();
    expect(own.body.presence, own.evidence).toBe('unavailable');
    const seen = await bob.getPresence(alice);
    expect(seen.body.presence, seen.evidence).toBe('unavailable');
  });
});
