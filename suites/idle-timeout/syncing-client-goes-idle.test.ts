import { BACKGROUND_CLIENT, connectClient, SYNCING_CLIENT, given, requirement, untilSeen, whileConnected, type ClientKind } from '../../harness/story/index.js';

/**
 * Connected clients that do nothing pro-active: one device, the usual two
 * (phone and laptop), and an app back from the background that keeps syncing
 * (its return sync marked it online again). The minimal client and the bot
 * stop syncing: quiet-client-goes-idle.test.ts's.
 */
const KINDS: readonly ClientKind[] = [
  { id: 'one-device', name: 'one device', devices: 1, habit: 'loop' },
  { ...SYNCING_CLIENT, name: 'two devices' },
  BACKGROUND_CLIENT,
];

requirement('PRES-IDLE-AUTO', ({ test }) => {
  test.for(KINDS)('a client that keeps syncing but does nothing pro-active becomes unavailable ($name)', async (kind, { server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    const { idleTimeoutMs, syncOnlineTimeoutMs } = server.timings;

    // Connecting with the default set_presence marks her online (for the app
    // back from the background: its return sync does): the last pro-active
    // event of the story. Staying online is no change of state.
    const devices = await connectClient(server, kind, alice);
    const lastActivityAt = Date.now();
    // "Keeps syncing": each long-poll ends well within the threshold (and the
    // sync-online timeout), so she is connected throughout; a longer poll
    // would make her the quiet client of quiet-client-goes-idle.test.ts.
    const pollMs = Math.min(idleTimeoutMs, syncOnlineTimeoutMs) / 2;

    await whileConnected(devices, { pollMs }, async () => {
      // Idling is about a connected, online user: a server that never showed her online has nothing to idle.
      await given('PRES-SYNC-DEFAULT', "bob sees alice's connected client online", untilSeen(server, bob, alice, 'online', server.soon()));
      await untilSeen(server, bob, alice, 'unavailable', server.afterTimer(lastActivityAt, idleTimeoutMs));
    });
  });
});
