import { expect } from 'vitest';
import { readsWhatSheSet, requirement } from '../../harness/story/index.js';

requirement('PRES-VIS-SHARED-GET', ({ test }) => {
  test("a roommate may read alice's presence", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    const status = server.statusMessage();
    await alice.setPresence('unavailable', status);

    const reply = await readsWhatSheSet(server, bob, alice, status);

    expect(reply.status, reply.evidence).toBe(200);
    expect(reply.body.status_msg, reply.evidence).toBe(status);
  });
});
