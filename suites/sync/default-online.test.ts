import { connectClient, Inconclusive, requirement, SYNCED_FIRST_KINDS, untilSeen } from '../../harness/story/index.js';

const STORIES = SYNCED_FIRST_KINDS.flatMap((kind) => (['offline', 'unavailable'] as const).map((from) => ({ from, kind, client: kind.name })));

requirement('PRES-SYNC-DEFAULT', ({ test }) => {
  test.for(STORIES)('alice, $from, is marked online by a /sync without set_presence (alice: $client)', async ({ from, kind }, { server }) => {
    const { alice, bob } = await server.aliceSeenByBob(from, (alice) => connectClient(server, kind, alice));

    const reply = await alice.sync();
    if (reply.status !== 200) throw new Inconclusive("alice's /sync without set_presence was refused", undefined, reply.evidence);

    // Marked online: her roommate is told so, over /sync or GET.
    await untilSeen(server, bob, alice, 'online', server.soon());
  });
});
