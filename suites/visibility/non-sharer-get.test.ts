import { expect } from 'vitest';
import { given, readsWhatSheSet, requirement, type MatrixUser, type TestServer } from '../../harness/story/index.js';

/**
 * Carol is refused. A reply that shows what alice set is a leak whatever
 * else happens; any other non-refusal counts only once alice's roommate bob
 * reads what she set (the positive control): a server whose presence does not
 * work (presence disabled: "offline" for everyone) leaks nothing to refuse.
 */
async function refusedOnceHerPresenceIsReadable(server: TestServer, alice: MatrixUser, bob: MatrixUser, carol: MatrixUser, status: string): Promise<void> {
  const reply = await carol.getPresence(alice);

  const leaked = reply.status === 200 && reply.body.status_msg === status;
  if (!leaked) {
    await given('PRES-VIS-SHARED-GET', "alice's presence is there to be read: her roommate reads what she set", async () => {
      const control = await readsWhatSheSet(server, bob, alice, status);
      expect(control.status, control.evidence).toBe(200);
      expect(control.body.status_msg, control.evidence).toBe(status);
    });
  }
  expect([403, 404], reply.evidence).toContain(reply.status);
}

requirement('PRES-VIS-NONSHARED-GET', ({ test }) => {
  test('a user who shares no room with anyone is refused', async ({ server }) => {
    const [alice, bob, carol] = await server.users('alice', 'bob', 'carol');
    await server.sharedRoom(alice, bob);
    const status = server.statusMessage();
    await alice.setPresence('online', status);

    await refusedOnceHerPresenceIsReadable(server, alice, bob, carol, status);
  });

  test("a user who shares a room only with alice's roommate is refused", async ({ server }) => {
    const [alice, bob, carol] = await server.users('alice', 'bob', 'carol');
    await server.sharedRoom(alice, bob);
    await server.sharedRoom(bob, carol);
    const status = server.statusMessage();
    await alice.setPresence('unavailable', status);

    await refusedOnceHerPresenceIsReadable(server, alice, bob, carol, status);
  });
});
