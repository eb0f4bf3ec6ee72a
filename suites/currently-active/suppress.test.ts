import { expect } from 'vitest';
import {
  activeLongerThanWindow,
  BOT_CLIENT,
  connectClient,
  CURRENTLY_ACTIVE_NOT_OFFERED,
  impliedLastActive,
  Inconclusive,
  lastActiveOnlyUpdates,
  requirement,
  seesCurrentlyActive,
  whileActive,
  type MatrixUser,
  type TestServer,
} from '../../harness/story/index.js';

type Act = (alice: MatrixUser, room: string, text: string) => Promise<unknown>;

// The spec's two examples of a pro-active event.
const activities: Array<{ name: string; act: Act }> = [
  { name: 'sending messages', act: (alice, room, text) => alice.sendMessage(room, text) },
  { name: 'setting herself online again', act: (alice) => alice.setPresence('online') },
];

/**
 * While `alice` stays active with `act` (a quick /sync before each act unless
 * `syncs` is false: the bot), bob keeps syncing; he must get no update that
 * only moves her last active time. Returns the reason to skip, if any.
 */
async function suppressedWhileActive(server: TestServer, alice: MatrixUser, bob: MatrixUser, room: string, act: Act, syncs: boolean): Promise<string | undefined> {
  const { update } = await seesCurrentlyActive(server, alice, bob, room, { syncs });
  if (!update) return CURRENTLY_ACTIVE_NOT_OFFERED;
  const anchor = bob.receivedFrom(alice).at(-1)!;

  // Alice keeps acting, while bob keeps syncing, until her last active time has moved by more than a
  // window, and across every periodic presence job of the server (Synapse's re-sends come once a minute).
  const until = server.acrossCycles(activeLongerThanWindow(server.timings));
  await whileActive(server, alice, () => act(alice, room, server.message()), () => bob.syncThroughout({ until, what: `${alice}'s presence while she is active` }), { syncs });

  const received = bob.receivedFrom(alice);
  const breaches = lastActiveOnlyUpdates(received, server.timings.slackMs);
  // A breach bob was given is its own proof that there was an update to suppress. Without one:
  // her last active time really moved on, so a server without the promise had updates to send;
  // if it did not (a last-active failure, not this one), the check could not be made.
  if (breaches.length === 0) {
    const got = await bob.getPresence(alice);
    const movedBy = Date.now() - (got.body.last_active_ago ?? Infinity) - impliedLastActive(anchor)!;
    if (!(movedBy > server.timings.activeWindowMs)) {
      throw new Inconclusive(`alice's last active time moved by only ${movedBy} ms while she stayed active, so there were no updates to suppress`, 'PRES-LAA-PROACTIVE', got.evidence);
    }
  }
  expect(breaches, JSON.stringify(received.map((r) => r.event.content))).toEqual([]);
  return undefined;
}

requirement('PRES-CA-SUPPRESS', ({ test }) => {
  test.for(activities)('while alice stays active ($name), bob gets no update that only moves her last active time', async ({ act }, { server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    await bob.sync();
    const notOffered = await suppressedWhileActive(server, alice, bob, room, act, true);
    if (notOffered) skip(notOffered);
  });

  // The bot stays active by its messages alone, never syncing after its
  // first sync; it sets no presence, so the second activity is not its.
  test(`alice, ${BOT_CLIENT.name}, stays active sending messages: bob gets no update that only moves her last active time`, async ({ server, skip }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const room = await server.sharedRoom(alice, bob);
    await bob.sync();
    await connectClient(server, BOT_CLIENT, alice);
    const notOffered = await suppressedWhileActive(server, alice, bob, room, activities[0]!.act, false);
    if (notOffered) skip(notOffered);
  });
});
