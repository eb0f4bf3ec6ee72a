import { CLIENT_KINDS, connectClient, Inconclusive, requirement, throughout, whileConnected } from '../../harness/story/index.js';

requirement('PRES-IDLE-NOT-EARLY', ({ test }) => {
  test.for(CLIENT_KINDS)('a user who sends a message more often than the threshold is never seen unavailable (alice: $name)', async (kind, { server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    const { idleTimeoutMs, syncOnlineTimeoutMs } = server.timings;
    // The minimal client does not sync at all: only pro-active events keep her
    // active. The bot synced once at start and then only sends: her messages
    // are its activity (a message is the spec's own pro-active event; receipts
    // and typing are not named as such, so they are never a bot's only
    // activity here). The app syncing throughout, and the app back from the
    // background, also keep syncing (not pro-active), polls ending well within
    // the threshold and the sync-online timeout.
    const devices = await connectClient(server, kind, alice);
    await alice.setPresence('online');
    await alice.sendMessage(room, server.message());
    let lastMessageAt = Date.now();
    // Longer than the threshold, and as long as a server that ignored her
    // messages would have needed to idle her (PRES-IDLE-AUTO's deadline).
    const until = server.afterTimer(lastMessageAt, idleTimeoutMs);
    let seenOnline = 0;

    await whileConnected(devices, { pollMs: Math.min(idleTimeoutMs, syncOnlineTimeoutMs) / 2 }, () =>
      throughout(
        async (left) => {
          // Every quarter threshold, so a slow probe never stretches a gap to the threshold.
          const gap = Date.now() - lastMessageAt;
          if (gap >= idleTimeoutMs) throw new Inconclusive(`the story let ${gap} ms pass between alice's messages, not less than the threshold (a slow server or machine)`);
          if (gap >= idleTimeoutMs / 4) {
            await alice.sendMessage(room, server.message());
            lastMessageAt = Date.now();
          }
          return bob.observePresence(alice, { pollMs: Math.min(left, 1_000) });
        },
        (seen) => {
          seenOnline += seen.filter((s) => s.content.presence === 'online').length;
          const idle = seen.find((s) => s.content.presence === 'unavailable');
          return idle && `bob saw alice unavailable via ${idle.via} ${Date.now() - lastMessageAt} ms after her last message: ${JSON.stringify(idle.content)}`;
        },
        { until, what: 'alice, sending a message every quarter threshold, stays available', recorder: server.recorder },
      ),
    );

    // Positive control: "never unavailable" means something only if bob could see her available.
    if (seenOnline === 0) throw new Inconclusive('bob never saw alice online at all (over /sync or GET)', 'PRES-PUT-ROUNDTRIP');
  });
});
