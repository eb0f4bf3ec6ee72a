import { given, Inconclusive, requirement, slidingSyncClient, untilSeen } from '../../harness/story/index.js';

requirement('PRES-TENT-SSS-IDLE', ({ test }) => {
  test('a sliding-sync-only client that keeps long-polling but does nothing pro-active becomes unavailable', async ({ server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    const { idleTimeoutMs, syncOnlineTimeoutMs } = server.timings;
    const client = await slidingSyncClient(server, alice, skip);

    // Connecting without set_presence marks her online (PRES-TENT-SSS-DEFAULT):
    // the last pro-active event of the story. She never uses /v3/sync.
    const first = await client.sync();
    if (first.status !== 200) throw new Inconclusive("alice's first sliding sync was refused", undefined, first.evidence);
    const lastActivityAt = Date.now();
    // "Keeps polling": each long-poll ends well within the threshold and the
    // sync-online timeout, so she is connected throughout; being idled is
    // then the idle timer's doing, not her counting as disconnected.
    const pollMs = Math.min(idleTimeoutMs, syncOnlineTimeoutMs) / 2;

    await client.whileSyncing({ pollMs }, async () => {
      // Idling is about a connected, online user: a server whose sliding sync never showed her online has nothing to idle.
      await given('PRES-TENT-SSS-DEFAULT', "bob sees alice's sliding-sync client online", untilSeen(server, bob, alice, 'online', server.soon()));
      await untilSeen(server, bob, alice, 'unavailable', server.afterTimer(lastActivityAt, idleTimeoutMs));
    });
  });
});
