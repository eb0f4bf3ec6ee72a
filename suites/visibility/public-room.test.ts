import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';

requirement('PRES-VIS-PUBLIC', ({ test }) => {
  test("carol, who joins alice's public room uninvited, gains access to her presence", async ({ server }) => {
    const [alice, carol] = await server.users('alice', 'carol');
    const room = await server.publicRoom(alice);
    await carol.sync();

    await carol.join(room);
    const status = server.statusMessage();
    await alice.setPresence('unavailable', status);

    await carol.seesPresence(alice, (p) => p.presence === 'unavailable' && p.status_msg === status, { deadline: server.soon(), what: `unavailable, "${status}"` });
    const reply = await carol.getPresence(alice);
    expect(reply.status, reply.evidence).toBe(200);
    expect(reply.body.status_msg, reply.evidence).toBe(status);
  });
});
