import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';

requirement('PRES-VIS-SHARED-GET', ({ test }) => {
  test("a roommate may read alice's presence", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    const status = server.statusMessage();
    await alice.setPresence('unavailable', status);
    const own = await alice.presenceOf();

    const reply = await bob.getPresence(alice);

    expect(reply.status, reply.evidence).toBe(200);
    // Her presence, as she reads it herself: whether that is what she set is PRES-PUT-ROUNDTRIP's question.
    expect(reply.body.presence, reply.evidence).toBe(own.presence);
    expect(reply.body.status_msg, reply.evidence).toBe(own.status_msg);
  });
});
