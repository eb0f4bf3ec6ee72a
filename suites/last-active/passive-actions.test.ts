import { agoReading, elapsedBetween, given, Inconclusive, lastActiveAged, requirement, spanOf, throughout, type MatrixUser } from '../../harness/story/index.js';

/** Things a user does that are not pro-active events. */
const PASSIVE: Array<{ action: string; run: (alice: MatrixUser, room: string) => Promise<unknown> }> = [
  { action: 'reading her own presence', run: (alice) => alice.getPresence() },
  { action: 'setting herself unavailable', run: (alice) => alice.setPresence('unavailable') },
  { action: 'setting herself offline', run: (alice) => alice.setPresence('offline') },
  {
    action: 'reading the room',
    run: async (alice, room) => {
      const reply = await alice.readMessages(room);
      if (reply.status !== 200) throw new Inconclusive('alice could not read the room', undefined, reply.evidence);
    },
  },
  { action: 'syncing with set_presence=offline', run: (alice) => alice.sync({ setPresence: 'offline' }) },
];

requirement('PRES-LAA-PASSIVE', ({ test }) => {
  test.for(PASSIVE)('$action does not reset her last active time', async ({ action, run }, { server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    const { slackMs } = server.timings;
    await alice.setPresence('online');
    await alice.sendMessage(room, server.message());
    // Aged well past slackMs, so a reset would stand out from mere imprecision.
    const before = await given(
      'PRES-LAA-FRESH',
      "alice's last_active_ago, read by her roommate, ages while she does nothing pro-active",
      lastActiveAged(bob, alice, 3 * slackMs, { deadline: server.soon() + 3 * slackMs, recorder: server.recorder }),
    );

    await run(alice, room);

    // Until a change would have shown (soon()), every value bob reads has kept
    // growing since `before`, within slackMs.
    let carried = 0;
    await throughout(
      async () => {
        const reply = await bob.getPresence(alice);
        return { ...spanOf(reply), content: reply.body };
      },
      (seen) => {
        const reading = agoReading(seen);
        if (!reading) return undefined;
        carried++;
        const { min } = elapsedBetween(before, reading);
        return reading.ago < before.ago + min - slackMs ? `last_active_ago fell from ${before.ago} ms to ${reading.ago} ms after ${action}` : undefined;
      },
      { until: server.soon(), what: `alice's last active time after ${action}`, recorder: server.recorder },
    );
    if (carried === 0) skip(`the server gave no last_active_ago after ${action}`);
  });
});
