import { expect } from 'vitest';
import { firstSyncs, given, inBackground, requirement, SYNCED_FIRST_KINDS } from '../../harness/story/index.js';

const STORIES = SYNCED_FIRST_KINDS.flatMap((kind) => (['offline', 'unavailable'] as const).map((from) => ({ from, kind, client: kind.name })));

requirement('PRES-SYNC-OFFLINE', ({ test }) => {
  test.for(STORIES)('alice, $from, is not marked online by syncing with set_presence=offline (alice: $client)', async ({ from, kind }, { server }) => {
    // Her realistic client has always synced with set_presence=offline.
    const { alice, bob, setAt } = await server.aliceSeenByBob(from, (alice) => firstSyncs(server, kind, alice, 'offline'));
    const online = () => bob.receivedFrom(alice).filter((r) => r.event.content.presence === 'online').map((r) => r.event);
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
        violates: () => (online().length ? `received ${JSON.stringify(online())}` : undefined),
      }),
    ]);

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
