import { requirement } from '../../harness/requirement.js';
import { eventually } from '../../harness/clock.js';
import { spanOf } from '../../harness/client/matrix-user.js';
import { lastActiveAged } from '../../harness/presence/last-active.js';

requirement('PRES-LAA-PROACTIVE', ({ test }) => {
  test('right after alice sends a message, her last_active_ago is near 0', async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    const { slackMs } = server.timings;
    await alice.setPresence('online');
    // Her last activity ages well past the tolerance below, so a message
    // that did not reset it would show.
    await lastActiveAged(bob, alice, 3 * slackMs, { deadline: server.soon() + 3 * slackMs, recorder: server.recorder });

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
