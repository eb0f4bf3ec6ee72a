import { anotherStateThanUnavailable, firstSyncs, inBackground, Inconclusive, premiseLapsed, readsUnavailable, requirement, SYNCED_FIRST_KINDS } from '../../harness/story/index.js';

// The app sent to the background comes back from offline only: online does
// not last through its absence (the idle timeout is the shorter timer on
// every server, and may make her unavailable before her /sync could).
const STORIES = SYNCED_FIRST_KINDS.flatMap((kind) =>
  (kind.habit === 'background' ? (['offline'] as const) : (['online', 'offline'] as const)).map((from) => ({ from, kind, client: kind.name })),
);

requirement('PRES-SYNC-UNAVAILABLE', ({ test }) => {
  test.for(STORIES)('alice, $from, is marked unavailable by syncing with set_presence=unavailable (alice: $client)', async ({ from, kind }, { server }) => {
    const { alice, bob, setAt } = await server.aliceSeenByBob(from, (alice) => firstSyncs(server, kind, alice));
    // The app sent to the background comes back with the /sync below (offline has no timer: she is still offline).
    if (kind.habit === 'background') await inBackground(server, setAt);

    const reply = await alice.sync({ setPresence: 'unavailable' });
    if (reply.status !== 200) throw new Inconclusive("alice's /sync with set_presence=unavailable was refused", undefined, reply.evidence);

    // Her client goes on syncing that way while bob waits, as a connected client does.
    await alice.whileSyncing({ setPresence: 'unavailable', pollMs: server.timings.slackMs }, () =>
      bob.seesPresence(alice, (p) => p.presence === 'unavailable', { deadline: server.soon(), what: 'unavailable after her /sync' }),
    );
    // From online, her idle timeout makes her unavailable too: once it could
    // have fired, bob's sighting no longer shows that her /sync marked her.
    const seenAt = bob.receivedFrom(alice).at(-1)!.receivedAt;
    const lapsed = from === 'online' ? premiseLapsed({ state: 'online', since: setAt, syncing: true }, server.timings, seenAt) : undefined;
    if (lapsed) throw new Inconclusive(`bob saw her unavailable too late to tell what marked her: ${lapsed}, not only her /sync`);
    // And she stays so while her client keeps syncing that way.
    const until = server.acrossCycles();
    await Promise.all([
      alice.syncThroughout({ until, what: 'her own stream', setPresence: 'unavailable' }),
      bob.syncThroughout({
        until,
        what: `${alice}'s presence while she syncs with set_presence=unavailable`,
        violates: anotherStateThanUnavailable(alice),
      }),
    ]);
    await readsUnavailable(alice, bob);
  });
});
