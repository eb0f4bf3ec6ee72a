import { CLIENT_KINDS, ConformanceFailure, connectClient, eventually, Inconclusive, kindApplies, lastActiveAged, requirement, spanOf, whileConnected } from '../../harness/story/index.js';

// Every kind sends messages, so every kind applies: the bot's message comes
// after its one sync (which made it online: it sets no presence) with
// nothing else from it in between.
requirement('PRES-LAA-PROACTIVE', ({ test }) => {
  test.for(CLIENT_KINDS)('right after alice sends a message, her last_active_ago is near 0 (alice: $name)', async (kind, { server, skip }) => {
    kindApplies(server, kind);
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    const { slackMs } = server.timings;
    const devices = await connectClient(server, kind, alice);
    if (kind.habit !== 'once') await alice.setPresence('online');

    // A connected client keeps syncing throughout: not pro-active, so her last active time still ages.
    await whileConnected(devices, { pollMs: slackMs }, async () => {
      // Her last activity ages well past the tolerance below, so a message
      // that did not reset it would show.
      const aging = lastActiveAged(bob, alice, 3 * slackMs, { deadline: server.soon() + 3 * slackMs, recorder: server.recorder });
      if (devices.length === 0) {
        try {
          await aging;
        } catch (cause) {
          if (!(cause instanceof ConformanceFailure)) throw cause;
          // The bot's sync made her currently active, and a server may leave
          // last_active_ago out of GET meanwhile (tuwunel 1.4.6 does): then
          // GET, not the aging, is what failed.
          const last = (server.recorder.lastObserved as { content?: { currently_active?: unknown; last_active_ago?: unknown } } | undefined)?.content;
          const see = last?.currently_active === true && last.last_active_ago === undefined ? 'PRES-CA-GET-FRESH' : 'PRES-LAA-FRESH';
          throw new Inconclusive("alice's last_active_ago, read by her roommate, ages while she does nothing pro-active", see, cause.message.split('\n').slice(0, 4).join('\n'));
        }
      } else {
        try {
          await aging;
        } catch (cause) {
          if (!(cause instanceof ConformanceFailure)) throw cause;
          // A server whose /sync resets the last active time leaves nothing for a message to reset.
          return skip(
            `cannot apply: alice's last_active_ago never aged past ${3 * slackMs} ms while her client kept syncing (last: ${JSON.stringify(server.recorder.lastObserved)}), ` +
              'so this server resets it on /sync (not a pro-active event: see PRES-LAA-PASSIVE, PRES-IDLE-AUTO) or keeps it stale (PRES-LAA-FRESH); the fresh-client variant checks the requirement',
          );
        }
      }

      const sentAt = Date.now();
      await alice.sendMessage(room, server.message());

      // "Near 0": no more than the real time since the message was sent, plus
      // slackMs for timestamp granularity. The server may take until soon() to apply it.
      await eventually(
        async () => {
          const reply = await bob.getPresence(alice);
          return { ...spanOf(reply), content: reply.body };
        },
        ({ content, to }) => typeof content.last_active_ago === 'number' && content.last_active_ago <= to - sentAt + slackMs,
        { deadline: server.soon(), what: "alice's last_active_ago to restart from the message", recorder: server.recorder },
      );
    });
  });
});
