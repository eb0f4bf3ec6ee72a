import { eventually, given, lastActiveAged, requirement, spanOf } from '../../harness/story/index.js';

requirement('PRES-LAA-ONLINE', ({ test }) => {
  test.for(['unavailable', 'offline'] as const)('changing presence from %s to online resets last_active_ago', async (from, { server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    const { slackMs } = server.timings;
    const read = async () => {
      const reply = await bob.getPresence(alice);
      return { ...spanOf(reply), content: reply.body };
    };
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
});
