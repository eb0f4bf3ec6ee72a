import { anotherStateThanUnavailable, Inconclusive, premiseLapsed, readsUnavailable, requirement, slidingSyncClient, type SlidingSyncClient } from '../../harness/story/index.js';

requirement('PRES-TENT-SSS-UNAVAILABLE', ({ test }) => {
  test.for(['online', 'offline'] as const)('alice, %s, is marked unavailable by sliding-syncing with set_presence=unavailable', async (from, { server, skip }) => {
    let client: SlidingSyncClient | undefined;
    const { alice, bob, setAt } = await server.aliceSeenByBob(from, async (alice) => (client = await slidingSyncClient(server, alice, skip)));
    const sss = client!;

    const reply = await sss.sync({ setPresence: 'unavailable' });
    if (reply.status !== 200) throw new Inconclusive("alice's sliding sync with set_presence=unavailable was refused", undefined, reply.evidence);

    // Her connection goes on long-polling that way while bob waits, as a connected client does.
    await sss.whileSyncing({ setPresence: 'unavailable', pollMs: server.timings.slackMs }, () =>
      bob.seesPresence(alice, (p) => p.presence === 'unavailable', { deadline: server.soon(), what: 'unavailable after her sliding sync' }),
    );
    // From online, her idle timeout makes her unavailable too: once it could
    // have fired, bob's sighting no longer shows that her request marked her.
    const seenAt = bob.receivedFrom(alice).at(-1)!.receivedAt;
    const lapsed = from === 'online' ? premiseLapsed({ state: 'online', since: setAt, syncing: true }, server.timings, seenAt) : undefined;
    if (lapsed) throw new Inconclusive(`bob saw her unavailable too late to tell what marked her: ${lapsed}, not only her sliding sync`);
    // And she stays so while her connection keeps polling that way.
    await sss.whileSyncing({ setPresence: 'unavailable', pollMs: server.timings.slackMs }, () =>
      bob.syncThroughout({
        until: server.acrossCycles(),
        what: `${alice}'s presence while she sliding-syncs with set_presence=unavailable`,
        violates: anotherStateThanUnavailable(alice),
      }),
    );
    await readsUnavailable(alice, bob);
  });
});
