import { expect } from 'vitest';
import { carryOver, given, requirement, requirePair, runPrefixOf, sleep, type RecordedTransaction, type TestServer } from '../../harness/story/index.js';

const STATES = ['online', 'unavailable', 'offline'];
const entry = (item: unknown) => (typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {});
const REQUIRED = ['user_id', 'presence', 'last_active_ago'];

interface Push {
  txn: RecordedTransaction;
  item: unknown;
}

/**
 * Every m.presence push item the server under test sent in the run, after
 * traffic of its own (every state, both ways) and a watch across the
 * servers' periodic jobs, so that the record holds this story's EDUs, the
 * periodic ones and those of every story running beside it. EDUs the
 * harness injected (PRES-FED-ORIGIN) are its own, not the servers'.
 */
async function everyPushOfTheRun(server: TestServer): Promise<Push[]> {
  const alice = await server.user('alice');
  const bob = await server.peerUser('bob');
  const courier = await server.user('courier');
  const room = await server.sharedRoom(alice, bob, courier);
  await server.roomReaches(courier, bob, room);
  await bob.sync();
  for (const state of ['unavailable', 'offline', 'online'] as const) {
    await alice.setPresence(state, server.statusMessage());
    await carryOver(server, courier, room);
    await bob.setPresence(state, server.statusMessage());
  }
  const last = server.statusMessage();
  await alice.setPresence('online', last);
  await carryOver(server, courier, room);
  await given('PRES-FED-SHARED', "presence travels: alice's last change reaches bob", bob.seesPresence(alice, (p) => p.status_msg === last, { deadline: server.overFederation(server.soon()), what: `"${last}"` }));
  await sleep(Math.max(0, server.acrossCycles() - Date.now()));

  // The server under test's EDUs: the other server's are judged when it is the first of a pair.
  const origin = server.target.serverName;
  const pushes = (await server.federation.transactions()).filter((t) => !t.injected && t.origin === origin).flatMap((txn) =>
    txn.edus.filter((e) => e.edu_type === 'm.presence').flatMap((e) => {
      const push = (e.content as { push?: unknown } | undefined)?.push;
      return Array.isArray(push) ? push.map((item: unknown) => ({ txn, item })) : [{ txn, item: { push } }];
    }),
  ).filter(({ item }) => ofThisRun(server, item));
  await given(null, 'the server under test sent m.presence EDUs', async () => expect(pushes.length).toBeGreaterThan(0));
  return pushes;
}

/**
 * Whether a push item is about a user of this run (every user a run makes
 * carries its prefix): runs that share a pair, as the self-check's do, judge
 * only their own users' EDUs. An item naming no user is kept: it is
 * nobody's, and wrong whoever sent it.
 */
function ofThisRun(server: TestServer, item: unknown): boolean {
  const user = entry(item).user_id;
  return typeof user !== 'string' || runPrefixOf(user) === server.target.runPrefix;
}

/** Fails with the offending items, their transactions kept in the evidence. */
async function expectNone(server: TestServer, bad: Push[]): Promise<void> {
  await server.federation.presenceAbout(bad.map(({ item }) => String(entry(item).user_id)));
  const found = bad.map(({ txn, item }) => ({ from: txn.origin, to: txn.destination, txnId: txn.txnId, item }));
  expect(found, `${found.length} push item(s): ${JSON.stringify(found).slice(0, 3_000)}`).toEqual([]);
}

requirement('PRES-FED-ENUM', ({ test }) => {
  test('every m.presence EDU the server sent in the run has a state of the enum', async ({ server, skip }) => {
    requirePair(server, skip);
    const pushes = await everyPushOfTheRun(server);
    await expectNone(server, pushes.filter(({ item }) => !STATES.includes(entry(item).presence as string)));
  });
});

requirement('PRES-FED-SCHEMA', ({ test }) => {
  test('every m.presence EDU the server sent in the run has the keys the EDU schema requires', async ({ server, skip }) => {
    requirePair(server, skip);
    const pushes = await everyPushOfTheRun(server);
    await expectNone(server, pushes.filter(({ item }) => REQUIRED.some((key) => !(key in entry(item)))));
  });
});
