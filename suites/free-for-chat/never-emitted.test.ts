import { expect } from 'vitest';
import { given, requirement } from '../../harness/story/index.js';

requirement('PRES-FFC-EMIT', ({ test }) => {
  test('a roommate never sees free_for_chat, whatever the user tries', async ({ server }) => {
    const [alice, bob] = await server.users('alice', 'bob');
    await server.sharedRoom(alice, bob);
    // Status messages identify the updates, whatever state the server renders them as.
    const before = server.statusMessage();
    await alice.setPresence('online', before);
    await given('PRES-VIS-SHARED-SYNC', "alice's presence reaches bob over /sync", bob.seesPresence(alice, (p) => p.status_msg === before, { deadline: server.soon(), what: `"${before}"` }));

    await alice.putPresence({ presence: 'free_for_chat' });
    await alice.sync({ setPresence: 'free_for_chat' });
    // A change after the attempts marks the point by which any free_for_chat
    // would have been delivered too; without it, bob's silence proves nothing.
    const after = server.statusMessage();
    await alice.setPresence('unavailable', after);
    await given('PRES-VIS-SHARED-SYNC', "alice's later change reaches bob over /sync", bob.seesPresence(alice, (p) => p.status_msg === after, { deadline: server.soon(), what: `"${after}"` }));

    const payloads = [...bob.receivedFrom(alice).map((r) => r.event), (await bob.getPresence(alice)).body, (await alice.getPresence()).body];
    expect(JSON.stringify(payloads)).not.toContain('free_for_chat');
  });
});
