import { expect } from 'vitest';
import { carryOver, eventually, given, isAbout, requirement, requirePair, sleep, type MatrixUser, type SyncBody, type TestServer } from '../../harness/story/index.js';

/**
 * Watches the federation record until `until` (across the server's periodic
 * jobs) for an m.presence EDU about `user` sent to the other server after
 * `from`; fails as soon as one shows, with it in the evidence.
 */
async function noEduAboutThroughout(server: TestServer, user: MatrixUser, from: number, until: number): Promise<void> {
  const peer = server.target.peer!.serverName;
  for (;;) {
    const sent = (await server.federation.presenceAbout([user.userId])).filter((p) => p.txn.destination === peer && p.txn.at >= from);
    const found = sent.map((p) => ({ txnId: p.txn.txnId, ...p.item }));
    expect(found, `m.presence EDUs about ${user.role} sent to ${peer}: ${JSON.stringify(found).slice(0, 3_000)}`).toEqual([]);
    if (Date.now() >= until) return;
    await sleep(Math.min(1_000, until - Date.now()));
  }
}

requirement('PRES-FED-NONSHARED', ({ test }) => {
  test("carol shares a room with bob but none with alice, who lives on the other server: her /sync never shows alice and her GET is refused", async ({ server, skip }) => {
    requirePair(server, skip);
    // alice's changes do reach carol's server: bob, there, shares a room with her.
    const alice = await server.peerUser('alice');
    const [bob, carol] = await server.users('bob', 'carol');
    const courier = await server.peerUser('courier');
    const withAlice = await server.sharedRoom(bob, alice, courier);
    await server.roomReaches(courier, bob, withAlice);
    await server.sharedRoom(bob, carol);
    await Promise.all([bob.sync(), carol.sync()]);
    const fromAlice = (body: SyncBody) =>
      body.presence?.events?.some((e) => isAbout(e, alice.userId)) ? `received ${JSON.stringify(body.presence?.events)}` : undefined;

    try {
      const status = server.statusMessage();
      await alice.setPresence('unavailable', status);
      await carryOver(server, courier, withAlice);
      // Positive controls: alice's change reaches bob, on carol's server, and carol's stream delivers presence.
      await given('PRES-FED-SHARED', "alice's change reaches bob, on carol's server", bob.seesPresence(alice, (p) => p.status_msg === status, { deadline: server.overFederation(server.soon()), what: `"${status}"` }));
      const bobs = server.statusMessage();
      await bob.setPresence('unavailable', bobs);
      await given('PRES-VIS-SHARED-SYNC', "carol's stream delivers presence: her roommate bob's change reaches her", carol.seesPresence(bob, (p) => p.status_msg === bobs, { deadline: server.soon(), what: `"${bobs}"` }));

      const reply = await carol.getPresence(alice);
      expect([403, 404], reply.evidence).toContain(reply.status);
      await carol.syncThroughout({ until: server.acrossCycles(), what: `for ${alice}'s presence`, violates: fromAlice });
    } finally {
      expect(carol.receivedFrom(alice).map((r) => r.event)).toEqual([]);
    }
  });
});

requirement('PRES-FED-NONSHARED-EDU', ({ test }) => {
  test("no EDU about alice goes to a server where nobody shares a room with her, while it federates with hers", async ({ server, skip }) => {
    requirePair(server, skip);
    const [alice, dave, erin] = await server.users('alice', 'dave', 'erin');
    const carol = await server.peerUser('carol');
    // alice's only room is with dave, on her server; erin shares one with carol, so the servers do exchange presence.
    await server.sharedRoom(alice, dave);
    const courier = await server.user('courier');
    const room = await server.sharedRoom(erin, carol, courier);
    await server.roomReaches(courier, carol, room);
    await carol.sync();
    const from = Date.now();

    await alice.setPresence('unavailable', server.statusMessage());
    await alice.setPresence('online', server.statusMessage());
    const erins = server.statusMessage();
    await erin.setPresence('unavailable', erins);
    await carryOver(server, courier, room);
    await given('PRES-FED-SHARED', "the servers exchange presence: erin's change reaches carol", carol.seesPresence(erin, (p) => p.status_msg === erins, { deadline: server.overFederation(server.soon()), what: `"${erins}"` }));

    await noEduAboutThroughout(server, alice, from, server.acrossCycles());
  });

  test("once bob, alice's only roommate on the other server, has left, no EDU about alice goes there", async ({ server, skip }) => {
    requirePair(server, skip);
    const alice = await server.user('alice');
    const bob = await server.peerUser('bob');
    const courier = await server.user('courier');
    const room = await server.sharedRoom(alice, bob, courier);
    await server.roomReaches(courier, bob, room);
    await bob.sync();
    const before = server.statusMessage();
    await alice.setPresence('online', before);
    await carryOver(server, courier, room);
    await given('PRES-FED-SHARED', "alice's change reaches bob before he leaves", bob.seesPresence(alice, (p) => p.status_msg === before, { deadline: server.overFederation(server.soon()), what: `"${before}"` }));

    await bob.leave(room);
    // Her server has processed the leave once its membership shows it.
    await given(null, "alice's server has processed bob's leave", eventually(() => alice.joinedMembers(room), (joined) => !joined.includes(bob.userId), { deadline: server.overFederation(server.soon()), what: `bob gone from ${room}` }));
    const from = Date.now();
    await alice.setPresence('unavailable', server.statusMessage());
    await alice.setPresence('online', server.statusMessage());

    await noEduAboutThroughout(server, alice, from, server.acrossCycles());
  });
});
