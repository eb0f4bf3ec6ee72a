import { requirement } from '../../harness/requirement.js';

requirement('PRES-VIS-JOIN', ({ test }) => {
  test("bob, on joining a room with alice, receives her current presence", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    const status = server.statusMessage();
    await alice.setPresence('unavailable', status);
    const room = await alice.createRoom();
    await bob.sync();

    // Alice changes nothing from here on: only the join can bring her presence.
    await alice.invite(room, bob);
    await bob.join(room);

    await bob.seesPresence(alice, (p) => p.presence === 'unavailable' && p.status_msg === status, {
      deadline: server.soon(),
      what: `her current presence, unavailable, "${status}"`,
    });
  });
});
