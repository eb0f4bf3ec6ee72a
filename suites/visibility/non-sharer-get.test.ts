import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';

requirement('PRES-VIS-NONSHARED-GET', ({ test }) => {
  test('a user who shares no room with anyone is refused', async ({ server }) => {
    const [alice, bob, carol] = await server.users('alice', 'bob', 'carol');
    await server.sharedRoom(alice, bob);
    await alice.setPresence('online', server.statusMessage());
    // Alice's presence is there to be read: her roommate may.
    const control = await bob.getPresence(alice);
    expect(control.status, control.evidence).toBe(200);

    const reply = await carol.getPresence(alice);

    expect([403, 404], reply.evidence).toContain(reply.status);
  });

  test("a user who shares a room only with alice's roommate is refused", async ({ server }) => {
    const [alice, bob, carol] = await server.users('alice', 'bob', 'carol');
    await server.sharedRoom(alice, bob);
    await server.sharedRoom(bob, carol);
    await alice.setPresence('unavailable', server.statusMessage());
    const control = await bob.getPresence(alice);
    expect(control.status, control.evidence).toBe(200);

    const reply = await carol.getPresence(alice);

    expect([403, 404], reply.evidence).toContain(reply.status);
  });
});
