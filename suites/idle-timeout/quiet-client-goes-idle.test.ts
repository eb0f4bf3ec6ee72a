import { BOT_CLIENT, connectClient, FRESH_CLIENT, given, goesQuietOnline, requirement, untilSeen } from '../../harness/story/index.js';

/**
 * Clients that go quiet: they count as connected only until the server's
 * sync-online timeout runs out after their last request (goesQuietOnline
 * skips where the idle deadline falls after it). The minimal client never
 * synced; the bot synced once at start, so the server has seen it syncing
 * (Dendrite 0.13.8 only idles such users). Its only requests are messages,
 * receipts or typing, all of which a server may count as pro-active (the
 * spec's list is an example), so here it sends none. Clients that keep
 * syncing, and the app back from the background (which then keeps syncing),
 * are syncing-client-goes-idle.test.ts's.
 */
const KINDS = [FRESH_CLIENT, BOT_CLIENT];

requirement('PRES-IDLE-AUTO', ({ test }) => {
  test.for(KINDS)('a client that sets itself online and then goes quiet is unavailable before it would count as disconnected (alice: $name)', async (kind, { server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    await connectClient(server, kind, alice);
    const idleBy = await goesQuietOnline(server, alice, skip);

    // Idling is about an online user: a server that never showed her online has nothing to idle.
    await given('PRES-PUT-ROUNDTRIP', 'bob sees alice online before she goes quiet', untilSeen(server, bob, alice, 'online', server.soon()));

    await untilSeen(server, bob, alice, 'unavailable', idleBy);
  });
});
