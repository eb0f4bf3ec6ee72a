import { given, goesQuietOnline, requirement, untilSeen } from '../../harness/story/index.js';

requirement('PRES-IDLE-WAKE', ({ test }) => {
  test('a message from her other device brings a user who set herself unavailable back online', async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    const laptop = await alice.loginDevice();
    await alice.setPresence('online');
    await alice.setPresence('unavailable');
    await given('PRES-IDLE-MANUAL', 'bob sees alice unavailable, as she set herself', untilSeen(server, bob, alice, 'unavailable', server.soon()));

    await laptop.sendMessage(room, server.message());

    await untilSeen(server, bob, alice, 'online', server.soon());
  });

  test('a message from her other device brings a user the server idled back online', async ({ server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    const laptop = await alice.loginDevice();
    // Her first device goes quiet; it must be idle before it may count as disconnected.
    const idleBy = await goesQuietOnline(server, alice, skip);
    await given('PRES-IDLE-AUTO', 'bob sees the server idle quiet alice (unavailable)', untilSeen(server, bob, alice, 'unavailable', idleBy));

    await laptop.sendMessage(room, server.message());

    await untilSeen(server, bob, alice, 'online', server.soon());
  });
});
