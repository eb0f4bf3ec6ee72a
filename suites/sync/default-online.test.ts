import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';

requirement('PRES-SYNC-DEFAULT', ({ test }) => {
  test.for(['offline', 'unavailable'] as const)('alice, %s, is marked online by a /sync without set_presence', async (from, { server }) => {
    const { alice, bob } = await server.aliceSeenByBob(from);

    const reply = await alice.sync();

    expect(reply.status, reply.evidence).toBe(200);
    await bob.seesPresence(alice, (p) => p.presence === 'online', { deadline: server.soon(), what: 'online after her /sync' });
    const own = await alice.getPresence();
    expect(own.body.presence, own.evidence).toBe('online');
  });
});
