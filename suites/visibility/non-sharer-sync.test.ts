import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';
import type { SyncBody } from '../../harness/client/matrix-user.js';

requirement('PRES-VIS-NONSHARED-SYNC', ({ test }) => {
  test("carol, who shares a room with bob but none with alice, never receives alice's presence", async ({ server }) => {
    const [alice, bob, carol] = await server.users('alice', 'bob', 'carol');
    await server.sharedRoom(alice, bob);
    await server.sharedRoom(bob, carol);
    await Promise.all([bob.sync(), carol.sync()]);
    const fromAlice = (body: SyncBody) =>
      body.presence?.events?.some((e) => e.sender === alice.userId) ? `received ${JSON.stringify(body.presence?.events)}` : undefined;

    const away = server.statusMessage();
    await alice.setPresence('unavailable', away);
    const back = server.statusMessage();
    await alice.setPresence('online', back);
    // Alice's changes do go out: her roommate gets them.
    await bob.seesPresence(alice, (p) => p.presence === 'online' && p.status_msg === back, { deadline: server.soon(), what: `online, "${back}"` });
    // Carol's stream delivers presence too: her roommate's change, made after alice's, reaches her.
    const bobs = server.statusMessage();
    await bob.setPresence('unavailable', bobs);
    await carol.seesPresence(bob, (p) => p.status_msg === bobs, { deadline: server.soon(), what: `unavailable, "${bobs}"` });
    await carol.syncThroughout({ until: server.soon(), what: `for ${alice}'s presence`, violates: fromAlice });

    expect(carol.receivedFrom(alice).map((r) => r.event)).toEqual([]);
  });
});
