import { requirement } from '../../harness/requirement.js';
import { given } from '../../harness/given.js';
import { untilSeen } from '../../harness/presence/sightings.js';

requirement('PRES-IDLE-AUTO', ({ test }) => {
  test('a client that sets itself online and then goes quiet is unavailable before it would count as disconnected', async ({ server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    const { idleTimeoutMs, syncOnlineTimeoutMs } = server.timings;
    // A delayed first timer check could fire the idle and the disconnect timer together.
    await server.timersRunningFor(idleTimeoutMs, syncOnlineTimeoutMs);

    const putAt = Date.now();
    await alice.setPresence('online');
    const lastActivityAt = Date.now();
    // She does not sync, so from putAt + sync_online_timeout she may count as
    // disconnected (offline); the idle timer must have shown before that.
    const idleBy = server.afterTimer(lastActivityAt, idleTimeoutMs);
    const mayDisconnectAt = putAt + syncOnlineTimeoutMs;
    if (idleBy > mayDisconnectAt) {
      skip(`the declared idle threshold (${idleTimeoutMs} ms) cannot be observed before the sync-online timeout (${syncOnlineTimeoutMs} ms) makes a quiet client offline`);
    }

    // Idling is about an online user: a server that never showed her online has nothing to idle.
    await given('PRES-PUT-ROUNDTRIP', 'bob sees alice online before she goes quiet', untilSeen(server, bob, alice, 'online', server.soon()));

    await untilSeen(server, bob, alice, 'unavailable', idleBy);
  });
});
