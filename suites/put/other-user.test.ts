import { expect } from 'vitest';
import { requirement } from '../../harness/requirement.js';
import { given } from '../../harness/given.js';

requirement('PRES-PUT-OTHER', ({ test }) => {
  test("a roommate cannot set another user's presence", async ({ server }) => {
    const [alice, mallory] = await server.users('alice', 'mallory');
    await server.sharedRoom(alice, mallory);
    const status = server.statusMessage();
    await alice.setPresence('unavailable', status);
    const before = await alice.getPresence();

    const reply = await mallory.putPresence({ presence: 'online', status_msg: 'set by mallory' }, alice);

    expect(reply.status, reply.evidence).toBeGreaterThanOrEqual(400);
    expect(reply.status, reply.evidence).toBeLessThan(500);
    // "State unchanged" can only be judged if GET showed what she had set (PRES-PUT-ROUNDTRIP).
    await given('PRES-PUT-ROUNDTRIP', "GET shows alice's own unavailable before mallory's attempt", async () => {
      expect(before.body.presence, before.evidence).toBe('unavailable');
      expect(before.body.status_msg, before.evidence).toBe(status);
    });
    const after = await alice.getPresence();
    expect(after.body.presence, after.evidence).toBe('unavailable');
    expect(after.body.status_msg, after.evidence).toBe(status);
  });
});
