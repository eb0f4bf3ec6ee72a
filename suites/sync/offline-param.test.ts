import { firstSyncs, inBackground, notMarkedOnline, onlineEventsAbout, requirement, SYNCED_FIRST_KINDS } from '../../harness/story/index.js';

const STORIES = SYNCED_FIRST_KINDS.flatMap((kind) => (['offline', 'unavailable'] as const).map((from) => ({ from, kind, client: kind.name })));

requirement('PRES-SYNC-OFFLINE', ({ test }) => {
  test.for(STORIES)('alice, $from, is not marked online by syncing with set_presence=offline (alice: $client)', async ({ from, kind }, { server }) => {
    // Her realistic client has always synced with set_presence=offline.
    const { alice, bob, setAt } = await server.aliceSeenByBob(from, (alice) => firstSyncs(server, kind, alice, 'offline'));
    // The app sent to the background comes back still syncing with
    // set_presence=offline (as iOS apps do for a background fetch): its
    // return must not mark her online either.
    if (kind.habit === 'background') await inBackground(server, setAt);

    // Alice's client keeps its event stream open with set_presence=offline across the server's periodic jobs.
    const until = server.acrossCycles();
    await Promise.all([
      alice.syncThroughout({ until, what: 'her own stream', setPresence: 'offline' }),
      bob.syncThroughout({
        until,
        what: `${alice}'s presence while she syncs with set_presence=offline`,
        violates: () => (onlineEventsAbout(bob, alice).length ? `received ${JSON.stringify(onlineEventsAbout(bob, alice))}` : undefined),
      }),
    ]);

    await notMarkedOnline(server, alice, bob);
  });
});
