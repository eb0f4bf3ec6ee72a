import { eventually } from '../../harness/clock.js';
import { requirePair } from '../../harness/federation/needs-pair.js';
import { requirement } from '../../harness/requirement.js';
import { given } from '../../harness/given.js';
import { untilSeen } from '../../harness/presence/sightings.js';
import type { TestServer } from '../../harness/test-server.js';
import type { MatrixUser } from '../../harness/client/matrix-user.js';

/** Waits for the m.presence EDU that carried `alice`'s `state` to the other server (it goes into the evidence). */
function eduCarrying(server: TestServer, alice: MatrixUser, state: string, deadline: number) {
  return eventually(
    () => server.federation.presenceAbout([alice.userId]),
    (pushes) => pushes.find((p) => p.item.presence === state),
    { deadline, what: `an m.presence EDU carrying alice's ${state}`, recorder: server.recorder },
  );
}

requirement('PRES-FED-SHARED', ({ test }) => {
  test("bob, on the other server, sees each state alice sets, each carried by an m.presence EDU", async ({ server, skip }) => {
    requirePair(server, skip);
    const alice = await server.user('alice');
    const bob = await server.peerUser('bob');
    await server.sharedRoom(alice, bob);
    await bob.sync();

    for (const state of ['online', 'unavailable', 'offline'] as const) {
      const status = server.statusMessage();
      await alice.setPresence(state, status);
      const by = server.overFederation(server.soon());
      await eduCarrying(server, alice, state, by);
      await bob.seesPresence(alice, (p) => p.presence === state && p.status_msg === status, { deadline: by, what: `${state}, "${status}"` });
    }
  });

  test('bob, on the other server, sees alice go idle when she stops acting', async ({ server, skip }) => {
    requirePair(server, skip);
    const alice = await server.user('alice');
    const bob = await server.peerUser('bob');
    await server.sharedRoom(alice, bob);
    const { idleTimeoutMs, syncOnlineTimeoutMs } = server.timings;
    await server.timersRunningFor(idleTimeoutMs, syncOnlineTimeoutMs);

    const putAt = Date.now();
    await alice.setPresence('online');
    const idleBy = server.afterTimer(Date.now(), idleTimeoutMs);
    if (idleBy > putAt + syncOnlineTimeoutMs) {
      skip(`the declared idle threshold (${idleTimeoutMs} ms) cannot be observed before the sync-online timeout (${syncOnlineTimeoutMs} ms) makes a quiet client offline`);
    }
    // Idling over federation is about a user the other server saw online.
    await given('PRES-FED-SHARED', 'bob sees alice online first', untilSeen(server, bob, alice, 'online', server.overFederation(server.soon())));

    // Her server must send the idle transition: bob's server could also
    // infer one on its own, so the EDU is awaited first, then bob's view.
    await eduCarrying(server, alice, 'unavailable', idleBy);
    await untilSeen(server, bob, alice, 'unavailable', server.overFederation(server.soon()));
  });
});
