import { carryOver, eventually, given, goesQuietOnline, requirement, requirePair, untilSeen, type MatrixUser, type TestServer } from '../../harness/story/index.js';

/** Waits for an m.presence EDU carrying `user`'s `state` from her server to the other one (it goes into the evidence). */
function eduCarrying(server: TestServer, user: MatrixUser, state: string, deadline: number, statusMsg?: string) {
  return eventually(
    () => server.federation.presenceAbout([user.userId]),
    (pushes) => pushes.find((p) => p.item.presence === state && (statusMsg === undefined || p.item.status_msg === statusMsg)),
    { deadline, what: `an m.presence EDU carrying ${user.role}'s ${state}`, recorder: server.recorder },
  );
}

// Each story judges one server's duty: the server under test sends its
// users' changes to a roommate's server, and shows its users the changes a
// roommate's server sends; what the other server does is a precondition.
requirement('PRES-FED-SHARED', ({ test }) => {
  test("each state alice sets goes to her roommate bob's server in an m.presence EDU", async ({ server, skip }) => {
    requirePair(server, skip);
    const alice = await server.user('alice');
    const bob = await server.peerUser('bob');
    const courier = await server.user('courier');
    const room = await server.sharedRoom(alice, bob, courier);
    await server.roomReaches(courier, bob, room);

    for (const state of ['online', 'unavailable', 'offline'] as const) {
      const status = server.statusMessage();
      await alice.setPresence(state, status);
      await eduCarrying(server, alice, state, server.soon(), status);
    }
  });

  test('bob sees each state alice sets on the other server, which sends it in an m.presence EDU', async ({ server, skip }) => {
    requirePair(server, skip);
    const alice = await server.peerUser('alice');
    const bob = await server.user('bob');
    const courier = await server.peerUser('courier');
    const room = await server.sharedRoom(bob, alice, courier);
    await server.roomReaches(courier, bob, room);
    await bob.sync();

    for (const state of ['online', 'unavailable', 'offline'] as const) {
      const status = server.statusMessage();
      await alice.setPresence(state, status);
      // What the other server sends is a precondition here, not the requirement.
      await carryOver(server, courier, room);
      await given(null, `alice's server sends her ${state} to bob's`, eduCarrying(server, alice, state, server.soonThere(), status));
      await bob.seesPresence(alice, (p) => p.presence === state && p.status_msg === status, { deadline: server.soon(), what: `${state}, "${status}"` });
    }
  });

  test("alice's idle transition goes to her roommate bob's server when she stops acting", async ({ server, skip }) => {
    requirePair(server, skip);
    const alice = await server.user('alice');
    const bob = await server.peerUser('bob');
    const carol = await server.user('carol');
    const courier = await server.user('courier');
    const room = await server.sharedRoom(alice, bob, carol, courier);
    await server.roomReaches(courier, bob, room);
    const idleBy = await goesQuietOnline(server, alice, skip);
    // Idling is about an online user: carol, on alice's server, sees her online, then idle.
    await given('PRES-VIS-SHARED-SYNC', 'carol sees alice online first', untilSeen(server, carol, alice, 'online', server.soon()));
    await given('PRES-IDLE-AUTO', 'alice goes idle on her own server', untilSeen(server, carol, alice, 'unavailable', idleBy));

    await eduCarrying(server, alice, 'unavailable', server.soon());
  });
});
