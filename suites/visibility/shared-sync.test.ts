import { requirement } from '../../harness/requirement.js';

requirement('PRES-VIS-SHARED-SYNC', ({ test }) => {
  test("a roommate receives each of alice's changes through /sync", async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    await bob.sync();

    const away = server.statusMessage();
    await alice.setPresence('unavailable', away);
    await bob.seesPresence(alice, (p) => p.presence === 'unavailable' && p.status_msg === away, { deadline: server.soon(), what: `unavailable, "${away}"` });

    const back = server.statusMessage();
    await alice.setPresence('online', back);
    await bob.seesPresence(alice, (p) => p.presence === 'online' && p.status_msg === back, { deadline: server.soon(), what: `online, "${back}"` });
  });
});
