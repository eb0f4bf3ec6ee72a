import { requirement } from '../../harness/requirement.js';
import { given } from '../../harness/given.js';
import { untilSeen } from '../../harness/presence/sightings.js';

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
    const { idleTimeoutMs, syncOnlineTimeoutMs } = server.timings;
    // A delayed first timer check could fire the idle and the disconnect timer together.
    await server.timersRunningFor(idleTimeoutMs, syncOnlineTimeoutMs);
    const putAt = Date.now();
    await alice.setPresence('online');
    // Her first device goes quiet; it must be idle before it may count as disconnected.
    const idleBy = server.afterTimer(Date.now(), idleTimeoutMs);
    if (idleBy > putAt + syncOnlineTimeoutMs) {
      skip(`the declared idle threshold (${idleTimeoutMs} ms) cannot be observed before the sync-online timeout (${syncOnlineTimeoutMs} ms) makes a quiet device offline`);
    }
    await given('PRES-IDLE-AUTO', 'bob sees the server idle quiet alice (unavailable)', untilSeen(server, bob, alice, 'unavailable', idleBy));

    await laptop.sendMessage(room, server.message());

    await untilSeen(server, bob, alice, 'online', server.soon());
  });
});
