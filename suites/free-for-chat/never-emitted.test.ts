import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';

requirement('PRES-FFC-EMIT', ({ test }) => {
  test('a roommate never sees free_for_chat, whatever the user tries', async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    await alice.setPresence('online');
    await bob.seesPresence(alice, (p) => p.presence === 'online', { deadline: server.soon(), what: 'online' });

    await alice.putPresence({ presence: 'free_for_chat' });
    await alice.sync({ setPresence: 'free_for_chat' });
    // A state change after the attempts marks the point by which any
    // free_for_chat would have been delivered too.
    await alice.setPresence('unavailable', server.statusMessage());
    await bob.seesPresence(alice, (p) => p.presence === 'unavailable', { deadline: server.soon(), what: 'unavailable' });

    const payloads = [...bob.receivedFrom(alice).map((r) => r.event), (await bob.getPresence(alice)).body, (await alice.getPresence()).body];
    expect(payloads.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(payloads)).not.toContain('free_for_chat');
  });
});
