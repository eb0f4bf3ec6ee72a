import { requirement, seesThroughLongPoll, waitingLongPoll } from '../../harness/story/index.js';

requirement('PRES-VIS-SHARED-SYNC', ({ test }) => {
  test("a roommate receives each of alice's changes through /sync", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    await bob.sync();

    // Each change carries a fresh status message, which is how bob tells it
    // arrived: this requirement is the delivery. Whether the state in it is
    // right is PRES-STATE-ENUM's and PRES-FFC-EMIT's to judge (a server that
    // shows an active user as free_for_chat did deliver the change).
    const away = server.statusMessage();
    await alice.setPresence('unavailable', away);
    await bob.seesPresence(alice, (p) => p.status_msg === away, { deadline: server.soon(), what: `the change to unavailable, "${away}"` });

    const back = server.statusMessage();
    await alice.setPresence('online', back);
    await bob.seesPresence(alice, (p) => p.status_msg === back, { deadline: server.soon(), what: `the change to online, "${back}"` });
  });

  // The observer a realistic app is: its /sync waits up to 30 s for news, so
  // the change must end a poll already waiting, not the next one. The 2-s
  // polls above cannot tell a server whose polls a presence change never
  // wakes (it delivers at each poll's timeout) from one that wakes them.
  test("a roommate's waiting long-poll brings alice's change at once", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    await bob.sync();

    const poll = await waitingLongPoll(server, bob);
    const away = server.statusMessage();
    const changedAt = await alice.setPresence('unavailable', away);
    await seesThroughLongPoll(server, bob, alice, (p) => p.status_msg === away, { poll, changedAt, deadline: server.soon(), what: `change to unavailable, "${away}"` });
  });
});
