import { BACKGROUND_CLIENT, connectClient, ConformanceFailure, eventually, firstSyncs, FRESH_CLIENT, given, Inconclusive, kindApplies, lastActiveAged, requirement, spanOf, type MatrixUser } from '../../harness/story/index.js';

/** `bob`'s GET of `alice`'s presence, with the span in which the server produced it. */
const readOf = (bob: MatrixUser, alice: MatrixUser) => async () => {
  const reply = await bob.getPresence(alice);
  return { ...spanOf(reply), content: reply.body };
};

// Kinds: the fresh client changes to online with a PUT, the app back from the
// background with the /sync it comes back with (set_presence's default is
// online). The two devices that sync throughout never change to online: their
// syncs keep her online all along. The bot never sets a presence after the
// one sync that made it online at start.
requirement('PRES-LAA-ONLINE', ({ test }) => {
  test.for(['unavailable', 'offline'] as const)('changing presence from %s to online resets last_active_ago', async (from, { server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await connectClient(server, FRESH_CLIENT, alice);
    const room = await server.sharedRoom(alice, bob);
    const { slackMs } = server.timings;
    const read = readOf(bob, alice);
    await alice.sendMessage(room, server.message());
    await alice.setPresence(from);
    // Her last activity ages, in the state she changes from, well past the
    // tolerance below, so a change to online that did not reset it would
    // show. Aged after that PUT, not before it: a server may count the
    // message as nothing (tuwunel 1.4.6 keeps no presence for a user who has
    // only sent messages) or reset the time on the PUT (a PRES-LAA-PASSIVE
    // failure), and a change to online right after such a reset would look
    // like one that resets it.
    await given(
      'PRES-LAA-FRESH',
      `alice's last_active_ago, read by her roommate, ages while she is ${from} and does nothing pro-active`,
      lastActiveAged(bob, alice, 3 * slackMs, { deadline: server.soon() + 3 * slackMs, recorder: server.recorder }),
    );

    const changedAt = await alice.setPresence('online');

    // The change itself has to show before its effect on the last active time can.
    await given('PRES-PUT-ROUNDTRIP', 'her roommate reads her online', eventually(read, ({ content }) => content.presence === 'online', { deadline: server.soon(), what: 'bob to read alice online', recorder: server.recorder }));
    // "Near 0": no more than the real time since the change, plus slackMs for timestamp granularity.
    await eventually(read, ({ content, to }) => typeof content.last_active_ago === 'number' && content.last_active_ago <= to - changedAt + slackMs, {
      deadline: server.soon(),
      what: `alice's last_active_ago to restart when she changes from ${from} to online`,
      recorder: server.recorder,
    });
  });

  test(`coming back online resets last_active_ago (alice: ${BACKGROUND_CLIENT.name})`, async ({ server, skip }) => {
    kindApplies(server, BACKGROUND_CLIENT);
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    const { slackMs, syncOnlineTimeoutMs } = server.timings;
    const read = readOf(bob, alice);
    // Her app in the foreground: its sync (no set_presence) makes her online.
    await firstSyncs(server, BACKGROUND_CLIENT, alice);
    const awayFrom = Date.now();

    // Sent to the background, it does not sync until the server has made her
    // something other than online for it: only then is coming back a change
    // to online. Her last activity has aged by then, well past the tolerance below.
    await given(
      null,
      `alice, whose app stopped syncing, is no longer online once her server's ${syncOnlineTimeoutMs} ms sync-online timeout has run`,
      eventually(read, ({ content }) => content.presence !== 'online', { deadline: server.afterTimer(awayFrom, syncOnlineTimeoutMs), what: 'bob to read alice not online', recorder: server.recorder }),
    );
    await given(
      'PRES-LAA-FRESH',
      "alice's last_active_ago, read by her roommate, aged while her app was in the background",
      lastActiveAged(bob, alice, 3 * slackMs, { deadline: server.soon() + 3 * slackMs, recorder: server.recorder }),
    );

    // Back in the foreground: the app syncs again, and keeps syncing.
    const backAt = Date.now();
    await alice.whileSyncing({ pollMs: slackMs }, async () => {
      await given('PRES-SYNC-DEFAULT', 'her roommate reads her online once her app syncs again', eventually(read, ({ content }) => content.presence === 'online', { deadline: server.soon(), what: 'bob to read alice online', recorder: server.recorder }));
      // Read over /sync as well as GET: a /sync makes her currently active,
      // and a server may leave last_active_ago out of GET meanwhile (tuwunel
      // 1.4.6 does: a PRES-CA-GET-FRESH failure, not this one's).
      let valuesGiven = 0;
      const restarted = eventually(
        (left) => bob.observePresence(alice, { pollMs: Math.min(left, 1_000) }),
        // "Near 0": no more than the real time since she came back, plus slackMs for timestamp granularity.
        (seen) => {
          const valued = seen.filter((s) => typeof s.content.last_active_ago === 'number');
          valuesGiven += valued.length;
          return valued.find((s) => s.content.last_active_ago! <= s.to - backAt + slackMs);
        },
        { deadline: server.soon(), what: "alice's last_active_ago to restart when her app, back from the background, makes her online", recorder: server.recorder },
      );
      try {
        await restarted;
      } catch (cause) {
        if (cause instanceof ConformanceFailure && valuesGiven === 0) throw new Inconclusive('the server gave no last_active_ago for alice, online again, over /sync or GET', 'PRES-CA-GET-FRESH', cause.message);
        throw cause;
      }
    });
  });
});
