import { expect } from 'vitest';
import { given, readsWhatSheSet, requirement } from '../../harness/story/index.js';

requirement('PRES-VIS-PUBLIC', ({ test }) => {
  test("carol, who joins alice's public room uninvited, gains access to her presence", async ({ server }) => {
    const [alice, bob, carol] = await server.users('alice', 'bob', 'carol');
    const room = await server.publicRoom(alice);
    // Bob, invited, is the positive control for the /sync path.
    await alice.invite(room, bob);
    await bob.join(room);
    await Promise.all([bob.sync(), carol.sync()]);

    await carol.join(room);
    const status = server.statusMessage();
    await alice.setPresence('unavailable', status);

    const reply = await readsWhatSheSet(server, carol, alice, status);
    expect(reply.status, reply.evidence).toBe(200);
    expect(reply.body.status_msg, reply.evidence).toBe(status);
    await given('PRES-VIS-SHARED-SYNC', "alice's change reaches bob, her invited roommate, over /sync", bob.seesPresence(alice, (p) => p.status_msg === status, { deadline: server.soon(), what: `"${status}"` }));
    await carol.seesPresence(alice, (p) => p.status_msg === status, { deadline: server.soon(), what: `"${status}", as bob was told` });
  });
});
