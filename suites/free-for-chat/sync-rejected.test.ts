import { expect } from 'vitest';
import { requirement } from '../../harness/story/index.js';

requirement('PRES-FFC-SYNC', ({ test }) => {
  test('/sync with set_presence=free_for_chat never puts the user in free_for_chat', async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    await alice.setPresence('unavailable');

    const reply = await alice.sync({ setPresence: 'free_for_chat' });

    const own = await alice.getPresence();
    expect(own.body.presence, `${reply.evidence}\n${own.evidence}`).not.toBe('free_for_chat');
    // Any other value outside the enum is PRES-STATE-ENUM's to blame (the payload invariants).
    const seen = await bob.getPresence(alice);
    expect(seen.body.presence, seen.evidence).not.toBe('free_for_chat');
  });
});

requirement('PRES-FFC-SYNC-ERRCODE', ({ test }) => {
  test('/sync with set_presence=free_for_chat is refused with 400 M_INVALID_PARAM', async ({ server }) => {
    const [alice] = await server.users('alice');

    const reply = await alice.sync({ setPresence: 'free_for_chat' });

    expect(reply.status, reply.evidence).toBe(400);
    expect(reply.body.errcode, reply.evidence).toBe('M_INVALID_PARAM');
  });
});
