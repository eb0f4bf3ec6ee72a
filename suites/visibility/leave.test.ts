import { expect } from 'vitest';
import { FRESH_CLIENT, SYNCING_CLIENT, connectClient, given, requirement, whileConnected, type MatrixUser } from '../../harness/story/index.js';

// Who may see presence does not depend on how alice's client uses /sync: the minimal client and the app that syncs throughout cover the server's two paths (a user it tracks as syncing, and one it does not).
const KINDS = [FRESH_CLIENT, SYNCING_CLIENT];

const STORIES = KINDS.flatMap((kind) => (['bob', 'alice'] as const).map((leaver) => ({ leaver, kind, client: kind.name })));

requirement('PRES-VIS-LEAVE', ({ test }) => {
  test.for(STORIES)('after $leaver leaves the last room alice and bob share, her updates stop and GET is refused (alice: $client)', async ({ leaver, kind }, { server }) => {
    const [alice, bob, dave] = await server.users('alice', 'bob', 'dave');
    const [first, second] = [await server.sharedRoom(alice, bob), await server.sharedRoom(alice, bob)];
    await server.sharedRoom(dave, bob);
    await bob.sync();
    const leaving: MatrixUser = leaver === 'bob' ? bob : alice;
    const devices = await connectClient(server, kind, alice);
    const back = server.statusMessage();
    const leaked = () => bob.receivedFrom(alice).filter((r) => r.event.content.status_msg === back).map((r) => r.event);

    const story = async () => {
      // Leaving one of two shared rooms changes nothing: bob still gets her updates and may read her.
      await leaving.leave(first);
      const away = server.statusMessage();
      await alice.setPresence('unavailable', away);
      await given('PRES-VIS-SHARED-SYNC', "while one room is still shared, alice's change reaches bob over /sync", bob.seesPresence(alice, (p) => p.status_msg === away, { deadline: server.soon(), what: `"${away}"` }));
      await given('PRES-VIS-SHARED-GET', 'while one room is still shared, bob may read her presence', async () => {
        const stillShared = await bob.getPresence(alice);
        expect(stillShared.status, stillShared.evidence).toBe(200);
      });

      await leaving.leave(second);
      await alice.setPresence('online', back);
      // Bob's stream still delivers: dave's change, made after alice's, reaches him.
      const daves = server.statusMessage();
      await dave.setPresence('unavailable', daves);
      await given('PRES-VIS-SHARED-SYNC', "bob's stream still delivers presence: his roommate dave's change, made after alice's, reaches him", bob.seesPresence(dave, (p) => p.status_msg === daves, { deadline: server.soon(), what: `"${daves}"` }));
      await bob.syncThroughout({
        until: server.acrossCycles(),
        what: `for ${alice}'s update after the leave`,
        violates: () => (leaked().length ? `received ${JSON.stringify(leaked())}` : undefined),
      });
    };

    try {
      await whileConnected(devices, { pollMs: server.timings.slackMs }, story);
    } finally {
      // An update after the leave that reached bob fails the test, even if a control gave out later.
      expect(leaked()).toEqual([]);
    }
    const refused = await bob.getPresence(alice);
    expect([403, 404], refused.evidence).toContain(refused.status);
  });
});
