import { BACKGROUND_CLIENT, connectClient, FRESH_CLIENT, agoReading, elapsedBetween, firstSyncs, given, inBackground, Inconclusive, kindApplies, lastActiveAged, requirement, spanOf, throughout, type MatrixUser, type TestServer } from '../../harness/story/index.js';

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

/**
 * `alice`, whose last activity is already past (a message, then nothing
 * pro-active), does `run`; until a change would have shown (soon()), every
 * value `bob` reads has kept growing since before it, within slackMs.
 */
async function leavesLastActive(server: TestServer, alice: MatrixUser, bob: MatrixUser, action: string, run: () => Promise<unknown>): Promise<{ carried: number }> {
  const { slackMs } = server.timings;
  // Aged well past slackMs, so a reset would stand out from mere imprecision;
  // and seen growing, not merely large (after a long pause, as the app's in
  // the background, the first value read is large already: a server whose
  // value is stale shows nothing a passive action could reset, PRES-LAA-FRESH).
  const before = await given('PRES-LAA-FRESH', "alice's last_active_ago, read by her roommate, ages while she does nothing pro-active", async () => {
    const aged = await lastActiveAged(bob, alice, 3 * slackMs, { deadline: server.soon() + 3 * slackMs, recorder: server.recorder });
    return lastActiveAged(bob, alice, aged.ago + slackMs, { deadline: server.soon() + 2 * slackMs, recorder: server.recorder });
  });

  await run();

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
  return { carried };
}

// Kinds: the fresh client does each action (the sync among them is her
// first). The app back from the background syncs with set_presence=offline
// while in the background, as apps woken for a background fetch do. Not run:
// the two devices that sync throughout, whose own syncs would be a passive
// action running under every other (the sync action is checked on its own);
// and the bot, whose only acts besides messages are receipts and typing,
// which this statement does not make passive: the spec's pro-active events
// are examples ("may be sending a message ... or changing presence state to
// online"), a receipt or a typing notice is the user's own deliberate act,
// and servers count them as activity on purpose (Synapse 1.163:
// rest/client/receipts.py and room.py call bump_presence_active_time).
requirement('PRES-LAA-PASSIVE', ({ test }) => {
  test.for(PASSIVE)('$action does not reset her last active time', async ({ action, run }, { server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await connectClient(server, FRESH_CLIENT, alice);
    const room = await server.sharedRoom(alice, bob);
    await alice.setPresence('online');
    await alice.sendMessage(room, server.message());
    const { carried } = await leavesLastActive(server, alice, bob, action, () => run(alice, room));
    if (carried === 0) skip(`the server gave no last_active_ago after ${action}`);
  });

  test(`a sync with set_presence=offline from the background does not reset her last active time (alice: ${BACKGROUND_CLIENT.name})`, async ({ server, skip }) => {
    kindApplies(server, BACKGROUND_CLIENT);
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    // In the foreground: her app syncs (online by default) and she sends a message.
    await firstSyncs(server, BACKGROUND_CLIENT, alice);
    await alice.sendMessage(room, server.message());
    // Then the app is in the background, not syncing, past the server's sync-online timeout.
    await inBackground(server, Date.now());
    const action = 'a background sync with set_presence=offline';
    const { carried } = await leavesLastActive(server, alice, bob, action, () => alice.sync({ setPresence: 'offline' }));
    if (carried === 0) skip(`the server gave no last_active_ago after ${action}`);
  });
});
