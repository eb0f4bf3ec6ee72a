import { given, goesQuietOnline, requirement, untilSeen } from '../../harness/story/index.js';

requirement('PRES-IDLE-AUTO', ({ test }) => {
  test('a client that sets itself online and then goes quiet is unavailable before it would count as disconnected', async ({ server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    const idleBy = await goesQuietOnline(server, alice, skip);

    // Idling is about an online user: a server that never showed her online has nothing to idle.
    await given('PRES-PUT-ROUNDTRIP', 'bob sees alice online before she goes quiet', untilSeen(server, bob, alice, 'online', server.soon()));

    await untilSeen(server, bob, alice, 'unavailable', idleBy);
  });
});
