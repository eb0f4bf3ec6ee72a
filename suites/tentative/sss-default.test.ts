import { Inconclusive, requirement, slidingSyncClient, untilSeen, type SlidingSyncClient } from '../../harness/story/index.js';

requirement('PRES-TENT-SSS-DEFAULT', ({ test }) => {
  test.for(['offline', 'unavailable'] as const)('alice, %s, is marked online by a sliding sync without set_presence', async (from, { server, skip }) => {
    let client: SlidingSyncClient | undefined;
    const { alice, bob } = await server.aliceSeenByBob(from, async (alice) => (client = await slidingSyncClient(server, alice, skip)));

    const reply = await client!.sync();
    if (reply.status !== 200) throw new Inconclusive("alice's sliding sync without set_presence was refused", undefined, reply.evidence);

    // Marked online: her roommate is told so, over /sync or GET.
    await untilSeen(server, bob, alice, 'online', server.soon());
  });
});
