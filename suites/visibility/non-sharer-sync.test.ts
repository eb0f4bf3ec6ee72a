import { expect } from 'vitest';
import { FRESH_CLIENT, SYNCING_CLIENT, connectClient, given, isAbout, requirement, whileConnected, type SyncBody } from '../../harness/story/index.js';

// Who may see presence does not depend on how alice's client uses /sync: the minimal client and the app that syncs throughout cover the server's two paths (a user it tracks as syncing, and one it does not).
const KINDS = [FRESH_CLIENT, SYNCING_CLIENT];

requirement('PRES-VIS-NONSHARED-SYNC', ({ test }) => {
  test.for(KINDS)("carol, who shares a room with bob but none with alice, never receives alice's presence (alice: $name)", async (kind, { server }) => {
    const [alice, bob, carol] = await server.users('alice', 'bob', 'carol');
    await server.sharedRoom(alice, bob);
    await server.sharedRoom(bob, carol);
    await Promise.all([bob.sync(), carol.sync()]);
    const fromAlice = (body: SyncBody) =>
      body.presence?.events?.some((e) => isAbout(e, alice.userId)) ? `received ${JSON.stringify(body.presence?.events)}` : undefined;
    // A connected alice also changes presence through her own /sync (online): another path a leak could take.
    const devices = await connectClient(server, kind, alice);

    const story = async () => {
      const away = server.statusMessage();
      await alice.setPresence('unavailable', away);
      const back = server.statusMessage();
      await alice.setPresence('online', back);
      // Positive controls: without them carol's silence proves nothing.
      await given('PRES-VIS-SHARED-SYNC', "alice's changes reach her roommate bob over /sync", bob.seesPresence(alice, (p) => p.status_msg === back, { deadline: server.soon(), what: `"${back}"` }));
      const bobs = server.statusMessage();
      await bob.setPresence('unavailable', bobs);
      await given(
        'PRES-VIS-SHARED-SYNC',
        "carol's stream delivers presence: her roommate bob's change, made after alice's, reaches her",
        carol.seesPresence(bob, (p) => p.status_msg === bobs, { deadline: server.soon(), what: `"${bobs}"` }),
      );
      await carol.syncThroughout({ until: server.acrossCycles(), what: `for ${alice}'s presence`, violates: fromAlice });
    };

    try {
      await whileConnected(devices, { pollMs: server.timings.slackMs }, story);
    } finally {
      // A leak seen before a control gave out still fails the test.
      expect(carol.receivedFrom(alice).map((r) => r.event)).toEqual([]);
    }
  });
});
