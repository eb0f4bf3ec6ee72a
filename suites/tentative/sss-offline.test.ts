import { expect } from 'vitest';
import { given, requirement, slidingSyncClient, type SlidingSyncClient } from '../../harness/story/index.js';

requirement('PRES-TENT-SSS-OFFLINE', ({ test }) => {
  test.for(['offline', 'unavailable'] as const)('alice, %s, is not marked online by sliding-syncing with set_presence=offline', async (from, { server, skip }) => {
    let client: SlidingSyncClient | undefined;
    const { alice, bob } = await server.aliceSeenByBob(from, async (alice) => (client = await slidingSyncClient(server, alice, skip)));
    const online = () => bob.receivedFrom(alice).filter((r) => r.event.content.presence === 'online').map((r) => r.event);

    // Her sliding-sync connection keeps long-polling with set_presence=offline across the server's periodic jobs.
    const until = server.acrossCycles();
    await client!.whileSyncing({ setPresence: 'offline', pollMs: server.timings.slackMs }, () =>
      bob.syncThroughout({
        until,
        what: `${alice}'s presence while she sliding-syncs with set_presence=offline`,
        violates: () => (online().length ? `received ${JSON.stringify(online())}` : undefined),
      }),
    );

    // Not online: the requirement says nothing more (offline from unavailable is allowed).
    const own = await alice.getPresence();
    expect(own.body.presence, own.evidence).not.toBe('online');
    const seen = await bob.getPresence(alice);
    if (seen.status === 200) expect(seen.body.presence, seen.evidence).not.toBe('online');
    expect(online()).toEqual([]);
    // Positive control: had she been marked online, bob would have been told within the window.
    const back = server.statusMessage();
    await alice.setPresence('online', back);
    await given('PRES-VIS-SHARED-SYNC', 'bob is told when alice does go online', bob.seesPresence(alice, (p) => p.presence === 'online' && p.status_msg === back, { deadline: server.soon(), what: `online, "${back}"` }));
  });
});
