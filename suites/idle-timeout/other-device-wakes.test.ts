import { BOT_CLIENT, CLIENT_KINDS, connectClient, FRESH_CLIENT, given, goesQuietOnline, requirement, untilSeen, whileConnected } from '../../harness/story/index.js';

/**
 * Her first client set her unavailable and makes no /sync after: the minimal
 * client and the bot (synced once at start). Not the app that syncs
 * throughout nor the one back from the background: their syncs without
 * set_presence mark her online themselves (PRES-SYNC-DEFAULT), so a wake
 * could not be told from her other device's message.
 */
const SET_UNAVAILABLE_KINDS = [FRESH_CLIENT, BOT_CLIENT];

requirement('PRES-IDLE-WAKE', ({ test }) => {
  test.for(SET_UNAVAILABLE_KINDS)('a message from her other device brings a user who set herself unavailable back online (alice: $name)', async (kind, { server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    const laptop = await alice.loginDevice();
    await connectClient(server, kind, alice);
    await alice.setPresence('online');
    await alice.setPresence('unavailable');
    await given('PRES-IDLE-MANUAL', 'bob sees alice unavailable, as she set herself', untilSeen(server, bob, alice, 'unavailable', server.soon()));

    await laptop.sendMessage(room, server.message());

    await untilSeen(server, bob, alice, 'online', server.soon());
  });

  // Every kind: the server idles the one that goes quiet (the minimal client,
  // the bot) and the ones that keep syncing without doing anything pro-active
  // (the app on two devices, the app back from the background) alike
  // (PRES-IDLE-AUTO), and none of them wakes her by itself once idle.
  test.for(CLIENT_KINDS)('a message from her other device brings a user the server idled back online (alice: $name)', async (kind, { server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    // The device that wakes her: logged in, it only sends.
    const laptop = await alice.loginDevice();
    const devices = await connectClient(server, kind, alice);
    const connectedAt = Date.now();
    const { idleTimeoutMs, syncOnlineTimeoutMs } = server.timings;

    await whileConnected(devices, { pollMs: Math.min(idleTimeoutMs, syncOnlineTimeoutMs) / 2 }, async () => {
      // A quiet client sets herself online and must be idle before it may count
      // as disconnected; a syncing one was marked online by its (return) sync.
      const idleBy = devices.length === 0 ? await goesQuietOnline(server, alice, skip) : server.afterTimer(connectedAt, idleTimeoutMs);
      await given('PRES-IDLE-AUTO', 'bob sees the server idle alice (unavailable)', untilSeen(server, bob, alice, 'unavailable', idleBy));

      await laptop.sendMessage(room, server.message());

      await untilSeen(server, bob, alice, 'online', server.soon());
    });
  });
});

