import { CLIENT_KINDS, connectClient, CURRENTLY_ACTIVE_NOT_OFFERED, kindApplies, requirement, seesCurrentlyActive, whileConnected } from '../../harness/story/index.js';

// Every kind applies: whoever stops acting, her window runs out. The app back
// from the background stops acting while it keeps syncing, as the two devices
// do; the bot stops sending, having synced only once, at start.
requirement('PRES-CA-EXPIRES', ({ test }) => {
  test.for(CLIENT_KINDS)('when alice stops acting, bob is told she is no longer currently_active (alice: $name)', async (kind, { server, skip }) => {
    kindApplies(server, kind);
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    await bob.sync();
    // A connected client keeps syncing after she stops acting: not pro-active, so her window still runs out.
    const devices = await connectClient(server, kind, alice);
    // Before the server's first timer evaluation its window expiry and its
    // idle transition would fire together, and the latter would stand in for
    // the former; on the regular check interval the window runs out first.
    await server.timersRunningFor(server.timings.activeWindowMs, server.timings.idleTimeoutMs);

    await whileConnected(devices, { pollMs: server.timings.slackMs }, async () => {
      // The bot's activity is its messages alone: it never syncs again.
      const { update, lastActivity } = await seesCurrentlyActive(server, alice, bob, room, { syncs: kind.habit !== 'once' });
      if (!update) return skip(CURRENTLY_ACTIVE_NOT_OFFERED);

      // Alice does nothing more; her currently_active window runs out.
      await bob.seesPresence(alice, (p) => p.currently_active === false || p.presence !== 'online', {
        deadline: server.afterTimer(lastActivity.endedAt, server.timings.activeWindowMs),
        what: 'currently_active: false, or a state other than online',
      });
    });
  });
});
