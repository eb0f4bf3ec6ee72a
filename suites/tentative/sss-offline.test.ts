import { notMarkedOnline, onlineEventsAbout, requirement, slidingSyncClient, type SlidingSyncClient } from '../../harness/story/index.js';

requirement('PRES-TENT-SSS-OFFLINE', ({ test }) => {
  test.for(['offline', 'unavailable'] as const)('alice, %s, is not marked online by sliding-syncing with set_presence=offline', async (from, { server, skip }) => {
    let client: SlidingSyncClient | undefined;
    const { alice, bob } = await server.aliceSeenByBob(from, async (alice) => (client = await slidingSyncClient(server, alice, skip)));

    // Her sliding-sync connection keeps long-polling with set_presence=offline across the server's periodic jobs.
    const until = server.acrossCycles();
    await client!.whileSyncing({ setPresence: 'offline', pollMs: server.timings.slackMs }, () =>
      bob.syncThroughout({
        until,
        what: `${alice}'s presence while she sliding-syncs with set_presence=offline`,
        violates: () => (onlineEventsAbout(bob, alice).length ? `received ${JSON.stringify(onlineEventsAbout(bob, alice))}` : undefined),
      }),
    );

    await notMarkedOnline(server, alice, bob);
  });
});
