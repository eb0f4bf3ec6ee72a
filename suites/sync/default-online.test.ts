import { firstSyncs, inBackground, Inconclusive, requirement, SYNCED_FIRST_KINDS, untilSeen } from '../../harness/story/index.js';

const STORIES = SYNCED_FIRST_KINDS.flatMap((kind) => (['offline', 'unavailable'] as const).map((from) => ({ from, kind, client: kind.name })));

requirement('PRES-SYNC-DEFAULT', ({ test }) => {
  test.for(STORIES)('alice, $from, is marked online by a /sync without set_presence (alice: $client)', async ({ from, kind }, { server }) => {
    const { alice, bob, setAt } = await server.aliceSeenByBob(from, (alice) => firstSyncs(server, kind, alice));
    // The app sent to the background comes back with the /sync checked below
    // (no timer makes her online while it is away: she stays not online).
    if (kind.habit === 'background') await inBackground(server, setAt);

    const reply = await alice.sync();
    if (reply.status !== 200) throw new Inconclusive("alice's /sync without set_presence was refused", undefined, reply.evidence);

    // Marked online: her roommate is told so, over /sync or GET.
    await untilSeen(server, bob, alice, 'online', server.soon());
  });
});
