import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';
import { given } from '../../harness/given.js';
import type { MatrixUser } from '../../harness/client/matrix-user.js';

/** Carol is refused; a refusal only counts if alice's roommate bob may read her (the positive control). */
async function refusedButRoommateMayRead(alice: MatrixUser, bob: MatrixUser, carol: MatrixUser): Promise<void> {
  const reply = await carol.getPresence(alice);

  expect([403, 404], reply.evidence).toContain(reply.status);
  await given('PRES-VIS-SHARED-GET', "alice's presence is there to be read: her roommate may", async () => {
    const control = await bob.getPresence(alice);
    expect(control.status, control.evidence).toBe(200);
  });
}

requirement('PRES-VIS-NONSHARED-GET', ({ test }) => {
  test('a user who shares no room with anyone is refused', async ({ server }) => {
    const [alice, bob, carol] = await server.users('alice', 'bob', 'carol');
    await server.sharedRoom(alice, bob);
    await alice.setPresence('online', server.statusMessage());

    await refusedButRoommateMayRead(alice, bob, carol);
  });

  test("a user who shares a room only with alice's roommate is refused", async ({ server }) => {
    const [alice, bob, carol] = await server.users('alice', 'bob', 'carol');
    await server.sharedRoom(alice, bob);
    await server.sharedRoom(bob, carol);
    await alice.setPresence('unavailable', server.statusMessage());

    await refusedButRoommateMayRead(alice, bob, carol);
  });
});
