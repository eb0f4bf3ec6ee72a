import { requirement } from '../../harness/requirement.js';
import { eventually } from '../../harness/clock.js';

requirement('PRES-IDLE-AUTO', ({ test }) => {
  test('a client that keeps syncing but does nothing pro-active becomes unavailable', async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    const { idleTimeoutMs, syncOnlineTimeoutMs } = server.timings;

    // Connecting with the default set_presence marks her online: the last
    // pro-active event of the story. Staying online is no change of state.
    await alice.sync();
    const lastActivityAt = Date.now();
    // "Keeps syncing": each long-poll ends well within the threshold (and the
    // sync-online timeout), so she is connected throughout; a longer poll
    // would make her the quiet client of quiet-client-goes-idle.test.ts.
    const pollMs = Math.min(idleTimeoutMs, syncOnlineTimeoutMs) / 2;

    await alice.whileSyncing({ pollMs }, () =>
      eventually(
        (left) => bob.observePresence(alice, { pollMs: Math.min(left, 1_000) }),
        (seen) => seen.find((s) => s.content.presence === 'unavailable'),
        { deadline: server.afterTimer(lastActivityAt, idleTimeoutMs), what: "bob to see alice's syncing client go unavailable", recorder: server.recorder },
      ),
    );
  });
});
